-- dataset.lua: a dataset export, one JSON object per article (JSON Lines),
-- for NLP corpora: the text, the metadata, a summary and keywords.
--
--   newsform examples/dataset.lua -o corpus.jsonl.gz pages/
--   newsform examples/dataset.lua pages/ > corpus.jsonl        (uncompressed)
--   newsform examples/dataset.lua --set sentences=5 --set keywords=20 -o corpus.jsonl.gz pages/
--
-- Each line: {"id", "source", "url", "title", "byline", "authors",
-- "published", "site", "lang", "tags", "text", "words", "summary",
-- "keywords"}; unknown values are null, keys sorted, so the
-- same pages give the same bytes (the .jsonl.gz too). Pages whose article
-- is too short to be one (index pages, errors) are left out. Read the
-- corpus back with newsform itself (each line's "text" is the article):
--   newsform -e 'return doc.title' corpus.jsonl.gz
local newsform = require("newsform")
local null = newsform.null

local function count_option(ctx, key, default)
  local v = ctx.options[key]
  if v == nil then return default end
  local n = math.tointeger(tonumber(v))
  if not n or n < 1 then error(("dataset.lua: %s must be a positive whole number, not '%s'"):format(key, v), 0) end
  return n
end

function process(doc, ctx)
  local a = doc.article
  if a.word_count < 20 then return end
  local text = a.text
  return newsform.json({
    id = ctx.index,
    source = ctx.input,
    url = a.url or doc.url or null,
    title = a.title or doc.title or null,
    byline = a.byline or null,
    authors = a.authors,
    published = a.published or null,
    site = a.site_name or null,
    lang = a.lang or null,
    tags = a.tags,
    text = text,
    words = a.word_count,
    summary = table.concat(newsform.summary(text, count_option(ctx, "sentences", 3)), " "),
    keywords = newsform.keywords(text, count_option(ctx, "keywords", 10)),
  }) .. "\n"
end
