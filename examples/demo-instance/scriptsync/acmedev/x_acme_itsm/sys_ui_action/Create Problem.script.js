// Create a problem from this incident and open it.
var problemId = new ProblemUtils().createFromIncident(current);
var problem = new GlideRecord('problem');
problem.get(problemId);
gs.addInfoMessage(gs.getMessage('Problem {0} created', [problem.getValue('number')]));
action.setRedirectURL(problem);
action.setReturnURL(current);
