/**
 * One searched case's candidates as learning keeps them: a row of numbers per candidate (its
 * fusion evidence and the raw scores of its lists) in one Float64Array, beside its document and
 * usage counts. Learning rescores every candidate of every case under many weightings, but looks
 * at the details of only the top 40 under two of them. Kept as the pipeline hands them out (a
 * candidate, its stage entries, three list records and its evidence: about 1.2 KB a candidate,
 * some 280 candidates a case), the 1,600 cases of a workspace of 10,000 Script Includes took
 * over half a gigabyte of the server's heap while it learned; as rows, about a sixth of that.
 * Details come back exactly as the pipeline made them, for the rows asked for.
 */
import { UsageCounts, ApiDocRef } from '../retrieval/retrieval-index';
import { CandidateDetail, FusionEvidence, fusedScore, FusionWeights } from '../retrieval/pipeline';

/** The numeric fields of FusionEvidence, in row order. */
const NUMBERS = ['lexicalRank', 'usageRank', 'denseRank', 'lexicalRel', 'usageRel', 'dense', 'popularity', 'recordAffinity', 'collectionAffinity', 'tableOverlap', 'holeAffinity', 'holeWords', 'assignedName', 'coCall', 'sequence'] as const;
/** Its yes-or-no fields, as 1 and 0 after the numbers. */
const FLAGS = ['sameScope', 'typedExact', 'shapeMismatch'] as const;
/** After the evidence: the lists' raw scores and the usage list's hits (the ranks are in the evidence). */
const LEXICAL_SCORE = NUMBERS.length + FLAGS.length;
const USAGE_SCORE = LEXICAL_SCORE + 1;
const USAGE_HITS = LEXICAL_SCORE + 2;
const WIDTH = LEXICAL_SCORE + 3;

type NumberField = (typeof NUMBERS)[number];
type FlagField = (typeof FLAGS)[number];

// A FusionEvidence whose fields read one row of a table: `fusedScore` takes it as it takes the
// pipeline's objects, and scoring a case allocates nothing.
class EvidenceRow {
  data: Float64Array = new Float64Array(0);
  at = 0;
}
for (const [k, field] of NUMBERS.entries()) {
  Object.defineProperty(EvidenceRow.prototype, field, {
    get(this: EvidenceRow) {
      return this.data[this.at + k];
    },
  });
}
for (const [k, field] of FLAGS.entries()) {
  Object.defineProperty(EvidenceRow.prototype, field, {
    get(this: EvidenceRow) {
      return this.data[this.at + NUMBERS.length + k] !== 0;
    },
  });
}
const row = new EvidenceRow() as EvidenceRow & FusionEvidence;

/** Values per slab: just over 32 MiB, so the allocator always maps a slab on its own (see `RowSlabs`). */
const SLAB_VALUES = (33 << 20) / 8;

/**
 * Hands out the tables' rows from a few large buffers instead of one buffer per case. A buffer of
 * a few tens of kilobytes comes from the allocator's heap, and when learning ends and they are
 * freed, the heap keeps the memory (at 10,000 Script Includes, 120 MB held for good after
 * learning); a buffer above 32 MiB is always a mapping of its own, handed back when freed, and
 * the part of it never written is never resident.
 */
export class RowSlabs {
  private slab = new Float64Array(0);
  private used = 0;

  constructor(private readonly slabValues = SLAB_VALUES) {}

  take(n: number): Float64Array {
    if (n > this.slabValues) return new Float64Array(n);
    if (this.used + n > this.slab.length) {
      this.slab = new Float64Array(this.slabValues);
      this.used = 0;
    }
    const out = this.slab.subarray(this.used, this.used + n);
    this.used += n;
    return out;
  }
}

export class CandidateTable {
  private constructor(
    private readonly data: Float64Array,
    /** Each candidate's key (its API name). */
    readonly keys: readonly string[],
    private readonly refs: readonly ApiDocRef[],
    private readonly usage: ReadonlyArray<UsageCounts | undefined>,
  ) {}

  /** The table of the pipeline's Script Include details, in their order; its rows from `slabs` when given. */
  static of(details: readonly CandidateDetail[], slabs?: RowSlabs): CandidateTable {
    const data = slabs ? slabs.take(details.length * WIDTH) : new Float64Array(details.length * WIDTH);
    details.forEach((d, i) => {
      const at = i * WIDTH;
      NUMBERS.forEach((f: NumberField, k) => (data[at + k] = d.evidence[f]));
      FLAGS.forEach((f: FlagField, k) => (data[at + NUMBERS.length + k] = d.evidence[f] ? 1 : 0));
      data[at + LEXICAL_SCORE] = d.lexical.score;
      data[at + USAGE_SCORE] = d.usageHit.score;
      data[at + USAGE_HITS] = d.usageHit.hits;
    });
    return new CandidateTable(
      data,
      details.map((d) => d.candidate.key),
      details.map((d) => d.ref),
      details.map((d) => d.usage),
    );
  }

  get size(): number {
    return this.keys.length;
  }

  /** Candidate `i`'s fused score under `weights` (`fusedScore` of its evidence). */
  score(i: number, weights: FusionWeights, priors: boolean): number {
    row.data = this.data;
    row.at = i * WIDTH;
    return fusedScore(row, weights, priors);
  }

  /** Candidate `i`'s detail as the pipeline made it, placed at `rank` (1-based) with fused score `score`. */
  detail(i: number, score: number, rank: number): CandidateDetail {
    const at = i * WIDTH;
    const d = this.data;
    const evidence = {} as Record<NumberField | FlagField, number | boolean>;
    NUMBERS.forEach((f, k) => (evidence[f] = d[at + k]));
    FLAGS.forEach((f, k) => (evidence[f] = d[at + NUMBERS.length + k] !== 0));
    const e = evidence as unknown as FusionEvidence;
    const ref = this.refs[i];
    const si = ref.si!;
    const lexical = { score: d[at + LEXICAL_SCORE], rank: e.lexicalRank };
    const usageHit = { score: d[at + USAGE_SCORE], rank: e.usageRank, hits: d[at + USAGE_HITS] };
    const dense = { score: e.dense, rank: e.denseRank };
    const stages: CandidateDetail['candidate']['stages'] = {};
    if (isFinite(lexical.rank)) stages.lexical = { score: lexical.score, rank: lexical.rank };
    if (isFinite(usageHit.rank)) stages.usage = { score: usageHit.score, rank: usageHit.rank };
    if (isFinite(dense.rank)) stages.dense = { score: dense.score, rank: dense.rank };
    stages.fused = { score, rank };
    return {
      candidate: { key: this.keys[i], kind: ref.kind, name: si.name, apiName: si.apiName, score, stages },
      ref,
      usage: this.usage[i],
      lexical,
      usageHit,
      dense,
      tableOverlap: e.tableOverlap,
      evidence: e,
    };
  }
}
