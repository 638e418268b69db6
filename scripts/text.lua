-- text.lua: the article as readable plain text.
--   newsform text article.html
--   newsform text --set width=72 pages/            → wrapped at 72 columns
--   newsform text --set links=inline article.html  → "text (url)" for links
-- The title stands first, then the article body (doc.article.body: the main
-- content the extractor found; the whole page body when it found nothing).
-- --set width=N  wrapped at N columns (default: not wrapped)
-- --set links=inline|none  "text (url)" for links, or the text alone
local newsform = require("newsform")

local function width_option(ctx)
  local w = ctx.options.width
  if w == nil then return 0 end
  local n = math.tointeger(tonumber(w))
  if not n or n < 0 then
    error(("text: width must be a whole number of columns, not '%s'"):format(w), 0)
  end
  return n
end

function process(doc, ctx)
  local a = doc.article or {}
  local body = a.body or doc.body
  local opts = { width = width_option(ctx), links = ctx.options.links or "none" }
  local text = newsform.text(body, opts)
  local title = a.title or doc.title
  if title and title ~= "" and not text:find(title, 1, true) then
    text = title .. "\n\n" .. text
  end
  return text
end
