-- json.lua: one JSON object per article, a superset of Readability.js's parse().
--   newsform json page.html              → {"byline": ..., "content": ..., ...}
--   newsform json --set indent=2 pages/  → pretty-printed
-- Readability's fields: title, byline, dir, lang, content (the body's
-- HTML), textContent (the body's text), length (its characters), excerpt
-- (the description, else the first paragraph), siteName, publishedTime;
-- newsform's own: modifiedTime, url, image {url, caption, credit, alt},
-- authors, tags, wordCount, readingTime, source ("content": the main
-- content found; "whole": the page's whole body, when there was none, as in
-- a fragment or a short page). Unknown values are null. A web archive's
-- record adds warcRecordId and warcDate (url is its WARC-Target-URI).
-- --set indent=N  pretty-printed, N spaces a level (default: one line)
local newsform = require("newsform")
local null = newsform.null

local function excerpt(a)
  if a.description and a.description ~= "" then return a.description end
  local first = a.text:match("^(.-)\n\n") or a.text
  if first ~= "" then return first end
  return null
end

function process(doc, ctx)
  local a = doc.article
  local text = a.text or ""
  local image = null
  if a.image then
    image = newsform.json_object({ url = a.image.url or null,
      caption = a.image.caption or null, credit = a.image.credit or null,
      alt = a.image.alt or null })
  end
  local obj = {
    title = a.title or null,
    byline = a.byline or null,
    dir = a.dir or null,
    lang = a.lang or null,
    content = a.body and a.body.html or null,
    textContent = text,
    length = utf8.len(text) or #text,
    excerpt = excerpt(a),
    siteName = a.site_name or null,
    publishedTime = a.published or null,
    modifiedTime = a.modified or null,
    url = a.url or doc.url or null,
    image = image,
    authors = a.authors,
    tags = a.tags,
    wordCount = a.word_count,
    readingTime = a.reading_time,
    source = a.source,
  }
  if ctx and ctx.warc then -- a web archive's record: where it came from
    obj.warcRecordId = ctx.warc.record_id or null
    obj.warcDate = ctx.warc.date or null
  end
  local indent = ctx and ctx.options and tonumber(ctx.options.indent)
  return newsform.json(obj, indent and { indent = indent } or nil) .. "\n"
end
