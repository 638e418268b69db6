-- site-recipe.lua: a recipe for one news site's pages, bundled as Markdown
-- in a zip (one .md file per article, plus manifest.json).
--
--   newsform examples/site-recipe.lua -o site.zip pages/
--   newsform examples/site-recipe.lua -o site/ pages/       (a folder of .md)
--   newsform examples/site-recipe.lua pages/01-harbour-bridge.html   (to the terminal)
--
-- A recipe is a table instead of a process function. Its steps run in this
-- order on each page: remove (drop everything matching), keep (narrow the
-- body to the story), the handlers (any other key: a tag name or CSS
-- selector → a function called on each match), remove_attrs, then process,
-- whose result is written out. Adapt the selectors to the site you save
-- pages from; run with one page to the terminal while you do.
local newsform = require("newsform")

return {
  -- Furniture around and inside the story.
  remove = { "header.site-header", "nav", "footer", "#cookie-banner", ".share", ".ad", "aside" },
  -- The story itself: the site's <article>, or the content column of its
  -- older templates.
  keep = { "article", "div.content" },
  remove_attrs = { "class", "id", "style", "on*", "data-*" },

  -- Links into the site ("/people/...") lead nowhere once the page is in a
  -- zip: keep their text, drop the link.
  ["a[href^='/']"] = function(a) a:unwrap() end,

  process = function(doc, ctx)
    ctx.ext = "md" -- the entry is NAME.md in the zip
    local a = doc.article -- computed before the cleaning: the page's metadata
    -- base_url: images and the remaining links point back at the site.
    local md = newsform.markdown(doc.body, { base_url = a.url or doc.url })
    local meta = {}
    if a.published then meta[#meta + 1] = "Published: " .. a.published:sub(1, 10) end
    if a.url then meta[#meta + 1] = "Source: <" .. a.url .. ">" end
    if #meta > 0 then md = md .. "\n---\n\n" .. table.concat(meta, "  \n") .. "\n" end
    return md
  end,
}
