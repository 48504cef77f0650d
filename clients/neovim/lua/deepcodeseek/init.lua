-- DeepCodeSeek for Neovim's built-in LSP client (Neovim 0.7 and later).
--
--   require('deepcodeseek').setup({
--     cmd = { 'deepcodeseek', 'serve', '--stdio' },
--     settings = { completion = { maxItems = 20 } },   -- the `deepcodeseek` section
--     filetypes = { 'javascript', 'xml' },
--   })
--
-- XML buffers are attached only when they hold ServiceNow records (`<record_update>`,
-- `<unload>`, an update set): scripts inside their `<script>` CDATA are served like `.js` files.
-- The plugin only starts the server and answers its settings requests; completion, hover,
-- definition and the rest are Neovim's own LSP features.

local M = {}

local defaults = {
  cmd = { 'deepcodeseek', 'serve', '--stdio' },
  filetypes = { 'javascript', 'xml' },
  -- The nearest folder holding one of these is the workspace the server indexes.
  root_markers = { '.deepcodeseek', 'now.config.json', '.git', 'sn_*' },
  -- A string, or a function(bufnr) returning a folder, to choose the root yourself.
  root_dir = nil,
  settings = {},
  on_attach = nil,
  capabilities = nil,
  flags = nil,
}

local config = vim.deepcopy(defaults)
-- Newer Neovim renamed these; the old names are what 0.7 has.
local islist = vim.islist or vim.tbl_islist
local uv = vim.uv or vim.loop
-- One client per workspace root, so every buffer of a workspace shares one index.
local clients = {}

-- Turns dotted keys (`['completion.maxItems'] = 20`) into nested tables, the shape the
-- server's schema documents, so both spellings work.
local function nest(settings)
  local out = {}
  for key, value in pairs(settings or {}) do
    if type(value) == 'table' and not islist(value) then value = nest(value) end
    local parts = vim.split(key, '.', { plain = true })
    local cur = out
    for i = 1, #parts - 1 do
      cur[parts[i]] = cur[parts[i]] or {}
      cur = cur[parts[i]]
    end
    local last = parts[#parts]
    if type(value) == 'table' and type(cur[last]) == 'table' and not islist(value) then
      cur[last] = vim.tbl_deep_extend('force', cur[last], value)
    else
      cur[last] = value
    end
  end
  return out
end

local function has_marker(dir, marker)
  if marker:find('[%*%?%[]') then return vim.fn.glob(dir .. '/' .. marker) ~= '' end
  return uv.fs_stat(dir .. '/' .. marker) ~= nil
end

--- The workspace root for a file: its nearest ancestor holding a marker, else the cwd.
function M.find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  while dir and dir ~= '' do
    for _, marker in ipairs(markers or config.root_markers) do
      if has_marker(dir, marker) then return dir end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then break end
    dir = parent
  end
  return uv.cwd()
end

local function root_for(bufnr)
  if type(config.root_dir) == 'function' then return config.root_dir(bufnr) end
  if type(config.root_dir) == 'string' then return config.root_dir end
  return M.find_root(vim.api.nvim_buf_get_name(bufnr))
end

-- Answers `workspace/configuration` from the nested settings: the `deepcodeseek` section whole,
-- or a sub-table when the server asks for a dotted section.
local function configuration_handler(_, result, _ctx)
  local answers = {}
  for i, item in ipairs((result or {}).items or {}) do
    local value = vim.NIL
    if item.section == 'deepcodeseek' then
      value = nest(config.settings)
    elseif item.section and vim.startswith(item.section, 'deepcodeseek.') then
      value = nest(config.settings)
      for _, part in ipairs(vim.split(item.section:sub(#'deepcodeseek.' + 1), '.', { plain = true })) do
        value = type(value) == 'table' and value[part] or nil
      end
      if value == nil then value = vim.NIL end
    end
    answers[i] = value
  end
  return answers
end

-- Neovim 0.7 answers workspace/configuration but does not say so, and the server only pulls
-- settings from clients that do; the handler above makes the claim true.
local function capabilities()
  local base = config.capabilities or vim.lsp.protocol.make_client_capabilities()
  return vim.tbl_deep_extend('force', base, { workspace = { configuration = true } })
end

local function client_config(root)
  return {
    name = 'deepcodeseek',
    cmd = config.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
    settings = { deepcodeseek = nest(config.settings) },
    handlers = { ['workspace/configuration'] = configuration_handler },
    capabilities = capabilities(),
    on_attach = config.on_attach,
    flags = config.flags,
    on_init = function(client)
      -- Tell the server the settings exist; it then pulls them through workspace/configuration.
      client.notify('workspace/didChangeConfiguration', { settings = { deepcodeseek = nest(config.settings) } })
    end,
    on_exit = function()
      clients[root] = nil
    end,
  }
end

--- Whether an XML buffer holds ServiceNow records (only those are served).
local function is_servicenow_xml(bufnr)
  for _, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, 20, false)) do
    if line:find('<record_update', 1, true) or line:find('<unload', 1, true) or line:find('<sys_update_xml', 1, true) then return true end
  end
  return false
end

--- Starts (or reuses) the server for the buffer's workspace and attaches the buffer.
--- Returns the client id, or nil when the buffer is not a file (or an XML file of no record).
function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if vim.api.nvim_buf_get_name(bufnr) == '' then return nil end
  if vim.bo[bufnr].filetype == 'xml' and not is_servicenow_xml(bufnr) then return nil end
  local root = root_for(bufnr)
  if vim.lsp.start then
    -- 0.8+: vim.lsp.start reuses a client with the same name and root.
    return vim.lsp.start(client_config(root), { bufnr = bufnr })
  end
  local id = clients[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(client_config(root))
    if not id then return nil end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- The position explain asks about. In normal mode the cursor sits on the last character typed
--- (`new ` leaves it on the space), so the position is just after that character, as if appending.
local function explain_params()
  local params = vim.lsp.util.make_position_params()
  if vim.api.nvim_get_mode().mode:sub(1, 1) ~= 'n' then return params end
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  local line = vim.api.nvim_buf_get_lines(0, row - 1, row, false)[1] or ''
  if #line == 0 then return params end
  local char = line:sub(col + 1):match('^[%z\1-\127\194-\244][\128-\191]*') or ''
  local _, utf16 = vim.str_utfindex(line, math.min(#line, col + #char))
  params.position.character = utf16
  return params
end

--- Shows the server's explanation of the suggestions at the cursor, as markdown in a scratch buffer.
function M.explain()
  local params = explain_params()
  vim.lsp.buf_request(0, 'workspace/executeCommand', { command = 'deepcodeseek.explain', arguments = { params } }, function(err, result)
    if err then
      vim.notify('deepcodeseek: ' .. (err.message or tostring(err)), vim.log.levels.WARN)
      return
    end
    local text = type(result) == 'string' and result or (type(result) == 'table' and result.markdown) or vim.fn.json_encode(result)
    vim.cmd('botright new')
    vim.bo.buftype, vim.bo.bufhidden, vim.bo.filetype = 'nofile', 'wipe', 'markdown'
    vim.api.nvim_buf_set_lines(0, 0, -1, false, vim.split(text, '\n', { plain = true }))
    vim.api.nvim_buf_set_name(0, 'deepcodeseek-explain')
    -- Rendered as markdown: conceal the emphasis and code marks where the syntax supports it.
    vim.wo.conceallevel, vim.bo.modifiable = 2, false
  end)
end

function M.setup(opts)
  config = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  -- Lists replace the defaults rather than merging index by index.
  for _, key in ipairs({ 'cmd', 'filetypes', 'root_markers' }) do
    if opts and opts[key] then config[key] = opts[key] end
  end
  local group = vim.api.nvim_create_augroup('deepcodeseek', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = config.filetypes,
    callback = function(args) M.attach(args.buf) end,
  })
  vim.api.nvim_create_user_command('DeepCodeSeekExplain', M.explain, { desc = 'Explain the DeepCodeSeek suggestions at the cursor' })
  -- Buffers already open when setup runs (a lazy-loaded plugin) are attached too.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(config.filetypes, vim.bo[buf].filetype) then M.attach(buf) end
  end
end

M._nest = nest

return M
