-- Run by test/clients/neovim.test.ts: `nvim --headless -u neovim-check.lua`. Sets up the plugin
-- from clients/neovim, opens a business rule in a copy of the demo workspace, waits for the
-- server and the index, asks for workspace symbols and for completion after `new `, and writes
-- what it saw as JSON to $DCS_RESULT.

local repo, file, out = os.getenv('DCS_REPO'), os.getenv('DCS_FILE'), os.getenv('DCS_RESULT')
local report = { logs = {} }

local function finish()
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(report))
  f:close()
  vim.cmd('qa!')
end

local function run()
  vim.opt.runtimepath:prepend(repo .. '/clients/neovim')
  vim.cmd('filetype on')
  local v = vim.fn.api_info().version
  report.nvim = string.format('%d.%d.%d', v.major, v.minor, v.patch)
  -- The server logs through window/logMessage; a debug line proves our settings reached it.
  vim.lsp.handlers['window/logMessage'] = function(_, result)
    table.insert(report.logs, result.message)
  end
  -- Indexing is reported as work-done progress; its end is when the index can answer.
  local progress = vim.lsp.handlers['$/progress']
  vim.lsp.handlers['$/progress'] = function(err, result, ctx, cfg)
    if result and result.value and result.value.kind == 'end' then report.indexed = true end
    if progress then return progress(err, result, ctx, cfg) end
  end

  require('deepcodeseek').setup({
    cmd = { os.getenv('DCS_NODE'), repo .. '/bin/deepcodeseek.js', 'serve', '--stdio' },
    settings = { log = { level = 'debug' }, ['completion.maxItems'] = 60 },
    flags = { debounce_text_changes = 0 },
  })
  vim.cmd('edit ' .. vim.fn.fnameescape(file))

  local client
  report.attached = vim.wait(20000, function()
    for _, c in pairs(vim.lsp.buf_get_clients(0)) do
      if c.name == 'deepcodeseek' and c.server_capabilities then
        client = c
        return true
      end
    end
    return false
  end, 50)
  if not report.attached then return end
  report.root = client.config.root_dir
  report.completionProvider = client.server_capabilities.completionProvider ~= nil

  vim.wait(20000, function() return report.indexed end, 50)
  local symbols = vim.lsp.buf_request_sync(0, 'workspace/symbol', { query = 'IncidentUtils' }, 20000) or {}
  report.symbols = {}
  for _, r in pairs(symbols) do
    for _, s in ipairs(r.result or {}) do table.insert(report.symbols, s.name) end
  end

  if report.completionProvider then
    -- Cut the line after `new ` as a developer would type it: the class name is what is predicted.
    local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
    for i, line in ipairs(lines) do
      local s, e = line:find('new IncidentUtils%(')
      if s then
        local prefix = line:sub(1, s + #'new ' - 1)
        vim.api.nvim_buf_set_lines(0, i - 1, i, false, { prefix })
        local params = { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = i - 1, character = #prefix } }
        local answers = vim.lsp.buf_request_sync(0, 'textDocument/completion', params, 20000) or {}
        report.completion, report.sortText = {}, {}
        for _, r in pairs(answers) do
          local items = r.result and (r.result.items or r.result) or {}
          for _, item in ipairs(items) do
            table.insert(report.completion, item.label)
            table.insert(report.sortText, item.sortText or item.label)
          end
        end
        break
      end
    end

    -- Table names inside `new GlideRecord('`.
    local last = vim.api.nvim_buf_line_count(0)
    vim.api.nvim_buf_set_lines(0, last, last, false, { "var t = new GlideRecord('" })
    local tparams = { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = last, character = #"var t = new GlideRecord('" } }
    local tanswers = vim.lsp.buf_request_sync(0, 'textDocument/completion', tparams, 20000) or {}
    report.tables = {}
    for _, r in pairs(tanswers) do
      for _, item in ipairs(r.result and (r.result.items or r.result) or {}) do table.insert(report.tables, item.label) end
    end

    -- :DeepCodeSeekExplain in normal mode on the space after `new `: the server must see `new `
    -- with nothing typed, and the answer shows as markdown in a buffer of its own.
    vim.api.nvim_buf_set_lines(0, last + 1, last + 1, false, { 'var x = new ' })
    vim.api.nvim_win_set_cursor(0, { last + 2, #'var x = new ' - 1 })
    local source = vim.api.nvim_get_current_buf()
    vim.cmd('DeepCodeSeekExplain')
    vim.wait(20000, function() return vim.api.nvim_get_current_buf() ~= source end, 50)
    if vim.api.nvim_get_current_buf() ~= source then
      report.explain = vim.api.nvim_buf_get_lines(0, 0, -1, false)
      report.explainFiletype = vim.bo.filetype
    end

    -- A ServiceNow XML record: the plugin attaches (filetype xml) and completes inside its script.
    vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('DCS_XML')))
    report.xmlAttached = vim.wait(20000, function() return #vim.lsp.buf_get_clients(0) > 0 end, 50)
    local xlines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
    for i, line in ipairs(xlines) do
      local s = line:find("new GlideAjax('", 1, true)
      if s then
        local prefix = line:sub(1, s + #"new GlideAjax('" - 1)
        vim.api.nvim_buf_set_lines(0, i - 1, i, false, { prefix })
        local xparams = { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = i - 1, character = #prefix } }
        local xanswers = vim.lsp.buf_request_sync(0, 'textDocument/completion', xparams, 20000) or {}
        report.xml = {}
        for _, r in pairs(xanswers) do
          for _, item in ipairs(r.result and (r.result.items or r.result) or {}) do table.insert(report.xml, item.label) end
        end
        break
      end
    end
  end
end

local ok, err = pcall(run)
if not ok then report.error = tostring(err) end
-- Give late log lines a moment, then leave.
vim.wait(100)
finish()
