-- digest.lua: a daily EPUB digest of a folder of saved pages, one section
-- per news section, each chapter opening with a two-sentence summary.
--
--   newsform examples/digest.lua --set out=digest.epub pages/
--   newsform examples/digest.lua --set out=today.epub --set title="Morning news" pages/
--
-- Options (--set KEY=VALUE): out (default digest.epub), title (default
-- "Daily digest" and the newest article's date), author.
--
-- How it works: process() keeps what the book needs from each page (the
-- documents themselves are closed after process returns), and finish()
-- writes the book with newsform.bundle: sections in alphabetical order,
-- articles newest first inside each, a contents page listing the
-- summaries. For a book in input order without sections, one command is
-- enough:  newsform markdown -o digest.epub pages/
local newsform = require("newsform")

-- The section of a page: its article:section, else its site, else "News".
local function section_of(doc, a)
  local meta = doc:select_one('meta[property="article:section"]')
  local section = meta and meta:attr("content")
  if section and section ~= "" then return section end
  return a.site_name or "News"
end

local function escape(s)
  return (s:gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;" }))
end

function begin(ctx)
  if ctx.workers > 1 then
    error("digest.lua writes one book: run it without -j (or with -j 1)", 0)
  end
  ctx.state.articles = {}
end

function process(doc, ctx)
  local a = doc.article
  if a.word_count < 20 then return end -- an index page, not an article
  local summary = table.concat(newsform.summary(a.text, 2), " ")
  local body = a.body.html
  if summary ~= "" then
    body = '<p class="summary"><strong>In brief:</strong> ' .. escape(summary) .. "</p>\n" .. body
  end
  table.insert(ctx.state.articles, {
    order = ctx.index,
    section = section_of(doc, a),
    title = a.title or doc.title or ctx.input,
    author = a.byline,
    published = a.published,
    url = a.url,
    lang = a.lang,
    source = ctx.input,
    summary = summary,
    html = body,
  })
end

function finish(ctx)
  local articles = ctx.state.articles
  table.sort(articles, function(x, y)
    if x.section ~= y.section then return x.section < y.section end
    local dx, dy = x.published or "", y.published or ""
    if dx ~= dy then return dx > dy end
    return x.order < y.order
  end)
  local newest, sections, last = "", 0, nil
  for _, item in ipairs(articles) do
    if (item.published or "") > newest then newest = item.published end
    if item.section ~= last then sections, last = sections + 1, item.section end
  end
  local out = ctx.options.out or "digest.epub"
  local title = ctx.options.title or ("Daily digest " .. newest:sub(1, 10)):gsub(" $", "")
  local book <close> = newsform.bundle.open(out, "w", {
    title = title,
    author = ctx.options.author,
    language = "en",
  })
  for _, item in ipairs(articles) do
    item.order = nil
    book:add_article(item)
  end
  return ("%s: %d articles in %d sections\n"):format(out, #articles, sections)
end
