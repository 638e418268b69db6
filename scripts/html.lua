-- html.lua: the article as a clean, standalone HTML5 page, UTF-8.
-- No scripts, no styles, no tracking attributes.
--   newsform html article.html > clean.html
--   newsform html --set xhtml=1 article.html   → well-formed XHTML (EPUB)
-- --set xhtml=1  well-formed XHTML (for EPUB chapters)
local newsform = require("newsform")

function process(doc, ctx)
  local a = doc.article or {}
  local body = a.body or doc.body
  return newsform.html(body, {
    document = true,
    xhtml = ctx.options.xhtml == "1" or ctx.options.xhtml == "true",
    title = a.title or doc.title or "",
    lang = a.lang,
    base_url = a.url or doc.url,
  })
end
