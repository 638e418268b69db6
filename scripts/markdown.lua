-- markdown.lua: the article as Markdown, with a short header.
--   newsform markdown article.html
--   newsform markdown --set flavor=gfm pages/   → GitHub-flavoured (pipe tables)
--   newsform markdown --set width=80 article.html
-- The header: the title as a heading, then the byline, the publication date
-- (and the update date), a link to the source, and the standfirst; then the
-- article body. Articles are separated by a blank line.
-- --set flavor=commonmark|gfm  the Markdown flavour (gfm: pipe tables)
-- --set width=N  paragraphs wrapped at N columns (default: not wrapped)
-- --set links=inline|reference|none  links in the text, collected at the end, or dropped
local newsform = require("newsform")

-- Markdown text for a plain string: escaped by rendering it as a paragraph.
local function inline(s)
  local p = newsform.parse("<p></p>"):select_one("p")
  p.text = s
  return (newsform.markdown(p):gsub("\n+$", ""))
end

function process(doc, ctx)
  local a = doc.article or {}
  local body = a.body or doc.body
  local links = ctx.options.links or "inline"
  local opts = { flavor = ctx.options.flavor or "commonmark", links = links }
  if ctx.options.width then opts.width = math.tointeger(tonumber(ctx.options.width)) end

  local out = {}
  local title = a.title or doc.title
  if title and title ~= "" then out[#out + 1] = "# " .. inline(title) end
  local meta = {}
  if a.byline and a.byline ~= "" then meta[#meta + 1] = inline(a.byline) end
  if a.published then meta[#meta + 1] = a.published:sub(1, 10) end
  if a.modified and a.modified:sub(1, 10) ~= (a.published or ""):sub(1, 10) then
    meta[#meta + 1] = "updated " .. a.modified:sub(1, 10)
  end
  local url = a.url or doc.url
  local source_def -- links=reference: the source's definition, last
  if url and url ~= "" then
    local dest = ("<%s>"):format(url:gsub("[<>\n]", ""))
    if links == "none" then
      meta[#meta + 1] = "Source: " .. inline(url)
    elseif links == "reference" then
      meta[#meta + 1] = "[Source][source]"
      source_def = "[source]: " .. dest
    else
      meta[#meta + 1] = ("[Source](%s)"):format(dest)
    end
  end
  if #meta > 0 then out[#out + 1] = "*" .. table.concat(meta, " · ") .. "*" end

  local md = newsform.markdown(body, opts)
  local standfirst = a.description
  -- Left out when the body already says it (as text: links are markup in md).
  local said = (a.text or ""):sub(1, 2000)
  if standfirst and standfirst ~= "" and not md:sub(1, 2000):find(standfirst:sub(1, 60), 1, true)
      and not said:find(standfirst:sub(1, 60), 1, true) then
    out[#out + 1] = "**" .. inline(standfirst) .. "**"
  end
  -- The extractor may keep the title as the body's first heading.
  if title then
    local first = md:match("^#+ ([^\n]*)\n")
    if first and first == inline(title) then md = md:gsub("^[^\n]*\n\n?", "", 1) end
  end
  out[#out + 1] = source_def and md:gsub("\n+$", "") or md
  out[#out + 1] = source_def
  ctx.ext = "md"
  return table.concat(out, "\n\n"):gsub("\n*$", "\n\n")
end
