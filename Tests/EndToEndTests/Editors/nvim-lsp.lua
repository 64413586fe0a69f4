-- Neovim's built-in LSP client against `mxsh lsp`, headless: open a runbook, wait for
-- the diagnostics, ask for hover, completion and formatting, write what came back.
local mxsh, file, out_path = os.getenv('MXSH'), os.getenv('MXSH_FILE'), os.getenv('MXSH_OUT')
local out = io.open(out_path, 'w')
local id = vim.lsp.start_client({ name = 'mxsh', cmd = { mxsh, 'lsp' }, root_dir = vim.fn.fnamemodify(file, ':h') })
vim.cmd('edit ' .. file)
vim.lsp.buf_attach_client(0, id)
vim.wait(10000, function() return #vim.diagnostic.get(0) > 0 end, 50)
for _, d in ipairs(vim.diagnostic.get(0)) do
  out:write(string.format('diagnostic %d:%d %s\n', d.lnum, d.col, (d.message:gsub('\n', ' | '))))
end
local uri = vim.uri_from_bufnr(0)
local hover = vim.lsp.buf_request_sync(0, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = 1, character = 43 } }, 5000)
for _, r in pairs(hover or {}) do
  if r.result then out:write('hover ' .. (r.result.contents.value:gsub('\n.*', '')) .. '\n') end
end
local comp = vim.lsp.buf_request_sync(0, 'textDocument/completion', { textDocument = { uri = uri }, position = { line = 2, character = 5 } }, 5000)
for _, r in pairs(comp or {}) do
  for _, item in ipairs(r.result or {}) do out:write('completion ' .. item.label .. '\n') end
end
local fmt = vim.lsp.buf_request_sync(0, 'textDocument/formatting', { textDocument = { uri = uri }, options = { tabSize = 2, insertSpaces = true } }, 5000)
for _, r in pairs(fmt or {}) do
  for _, edit in ipairs(r.result or {}) do out:write('format ' .. (edit.newText:gsub('\n', '\\n')) .. '\n') end
end
out:close()
vim.lsp.stop_client(id)
vim.cmd('qa!')
