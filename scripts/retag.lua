-- retag.lua: the article as clean, semantic HTML.
--   newsform retag page.html                  → the article body, normalised
--   newsform retag --set whole=1 page.html    → the page's whole body instead
--   newsform retag --set keep_attrs=class,id page.html
-- node:normalize() turns presentational markup into semantic markup:
-- b→strong, i→em, tt→code, strike/s→del, center→div; font and meaningless
-- span unwrapped; a div holding only text and inline elements → p; style,
-- class, id, on* and presentational attributes dropped (unless listed in
-- keep_attrs); empty elements removed. For your own renames, copy this
-- script and use newsform.retag(node, {h4 = "h3", blockquote = function(n)
-- if n:has_class("pullquote") then return "aside" end end}).
-- --set whole=1  the page's whole body instead of the article body
-- --set keep_attrs=LIST  attributes to keep, comma-separated (e.g. class,id)
local newsform = require("newsform")

local function split_list(s)
  local list = {}
  for item in (s or ""):gmatch("[^,%s]+") do list[#list + 1] = item end
  return list
end

function process(doc, ctx)
  local whole = ctx.options.whole
  local node
  if whole == nil or whole == "" or whole == "0" or whole == "false" then
    node = doc.article.body
  end
  node = node or doc.body
  node:normalize({ keep_attrs = split_list(ctx.options.keep_attrs) })
  if node == doc.body then return node.inner_html end
  return node.html
end
