-- summarize.lua: the title and an extractive summary of each article.
--   newsform summarize article.html          → title, blank line, 3 sentences
--   newsform summarize --set n=5 pages/      → 5 sentences per article
--   NEWSFORM_SUMMARY_N=5 newsform summarize pages/   (when --set n is absent)
--   newsform summarize --set method=textrank article.html
-- One sentence a line, in article order, each taken word for word from the
-- article text (doc.article.text). Methods (newsform.summary):
--   auto     (default) the first n sentences of a short article (10 sentences
--            or fewer); otherwise the lead sentence plus the n-1 sentences
--            TextRank finds most central
--   lead     the first n sentences
--   textrank the n most central sentences (TextRank over shared words)
-- --set n=N  sentences per article (default 3, or NEWSFORM_SUMMARY_N)
-- --set method=auto|lead|textrank  how sentences are chosen
local newsform = require("newsform")

local function summary_length(ctx)
  local v = ctx.options.n
  if v == nil and os and os.getenv then v = os.getenv("NEWSFORM_SUMMARY_N") end
  if v == nil or v == "" then return 3 end
  local n = math.tointeger(tonumber(v))
  if not n or n < 1 then
    error(("summarize: n must be a positive whole number, not '%s'"):format(v), 0)
  end
  return n
end

function process(doc, ctx)
  local n = summary_length(ctx)
  local method = ctx.options.method or "auto"
  local sentences = newsform.summary(doc, n, { method = method })
  local title = doc.article.title or doc.title
  local out = {}
  if title and title ~= "" then
    out[#out + 1] = title
    out[#out + 1] = ""
  end
  for _, s in ipairs(sentences) do out[#out + 1] = s end
  return table.concat(out, "\n")
end
