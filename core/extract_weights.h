/* extract_weights.h: every number the content extractor uses, in one place.
 *
 * The scorer follows Readability's idea (paragraphs vote for their
 * ancestors; class/id hints and link density adjust the votes) and
 * trafilatura's (known boilerplate containers are dropped before scoring;
 * the result is compared with a baseline and replaced when much worse).
 * Change a weight here, then run `make bench-extract`. */
#ifndef NF_EXTRACT_WEIGHTS_H
#define NF_EXTRACT_WEIGHTS_H

/* ---- paragraph votes ---------------------------------------------------- */
/* A block with fewer text characters than this casts no vote. */
#define W_PARA_MIN_CHARS 25
/* Vote = 1 + commas + min(chars / W_PARA_CHARS_PER_POINT, W_PARA_MAX_LEN_POINTS). */
#define W_PARA_CHARS_PER_POINT 100
#define W_PARA_MAX_LEN_POINTS 3
/* Ancestors beyond the grandparent get vote / (level * this). */
#define W_ANCESTOR_DIVISOR 3
/* How many ancestors a paragraph votes for. */
#define W_ANCESTOR_LEVELS 5

/* ---- candidate base scores by tag ---------------------------------------- */
#define W_TAG_DIV 5
#define W_TAG_ARTICLE 10      /* <article>, <main>, role=main/article */
#define W_TAG_PRE_TD_QUOTE 3
#define W_TAG_LIST_FORM (-3)  /* address, ol, ul, dl, dd, dt, li, form */
#define W_TAG_HEADING (-5)    /* h1-h6, th */

/* ---- class/id hints ------------------------------------------------------ */
#define W_CLASS_POSITIVE 25
#define W_CLASS_NEGATIVE (-25)
/* itemprop=articleBody / "articleBody" / "article-body" and friends. */
#define W_CLASS_BODY_STRONG 40

/* ---- choosing the top candidate ------------------------------------------ */
/* Other candidates scoring at least this share of the top one are close
 * rivals; when W_RIVALS_NEEDED of them sit under one ancestor, it wins. */
#define W_RIVAL_RATIO 0.75
#define W_RIVALS_NEEDED 3
/* Walking up: a parent scoring at least this share of the child... */
#define W_PARENT_RATIO 0.8
/* ...and holding this much more text (ratio) is taken instead. */
#define W_PARENT_TEXT_GAIN 1.15

/* The <article> holding the h1 is the story among other <article>s when
 * its best candidate scores at least this share of the page's best (an h1
 * in a small promo card is not the story). */
#define W_STORY_MIN_RATIO 0.3
/* Without an h1 in an <article>, the story is the <article> holding a
 * paragraph with this share of the declared description's words, or a
 * heading sharing this share of words with the declared headline both
 * ways... */
#define W_STORY_MATCH 0.8
/* ...when the declared text has at least this many words. */
#define W_STORY_MIN_WORDS 5

/* ---- sibling merging ----------------------------------------------------- */
#define W_SIBLING_MIN_SCORE 10
#define W_SIBLING_RATIO 0.2          /* of the top score */
#define W_SIBLING_SAME_CLASS_BONUS 0.2 /* of the top score */
/* A sibling whose best inner candidate scores this share of the best
 * candidate of the page joins too (a story split into two blocks). */
#define W_SIBLING_DEEP_RATIO 0.3
#define W_SIBLING_P_MIN_CHARS 80
#define W_SIBLING_P_MAX_LINK_DENSITY 0.25

/* A text-only block (no link, no image) right between the h1 and the chosen
 * container, with this much text, is the summary: it joins (class 6). */
#define W_SUMMARY_MIN_CHARS 60
#define W_SUMMARY_MAX_CHARS 600

/* ---- conditional cleaning (inside the chosen content) -------------------- */
#define W_CLEAN_MIN_COMMAS 10        /* blocks with more commas are kept */
#define W_CLEAN_LINK_DENSITY 0.2     /* for blocks with weight < W_CLASS_POSITIVE */
#define W_CLEAN_LINK_DENSITY_STRONG 0.5
#define W_CLEAN_MIN_CHARS 25
/* A list of mostly links (nav-like, "related" lists). */
#define W_LINK_LIST_DENSITY 0.5
/* A short block made of one link ("Read more: ...", "Subscribe"). */
#define W_LINK_ONLY_DENSITY 0.8
#define W_LINK_ONLY_MAX_CHARS 1000

/* A list with at least W_RELATED_MIN_ITEMS items, more than this share of
 * which have at least W_RELATED_ITEM_LINK_SHARE of their text in links, is
 * a related-stories list (extract_emit.c, class 4). */
#define W_RELATED_MIN_ITEMS 2
#define W_RELATED_LIST_SHARE 0.5
#define W_RELATED_ITEM_LINK_SHARE 0.5
/* ...or, after a label naming other stories ("More great stories"), a
 * list of at least W_RELATED_ALL_MIN_ITEMS items, every one with at least
 * this share of its text in a link. */
#define W_RELATED_ALL_MIN_ITEMS 3
#define W_RELATED_ALL_ITEMS_LINK_SHARE 0.25
/* A list holding more than this share of the content's text is the story
 * (a list article), never a related list. */
#define W_RELATED_MAX_SHARE 0.3
/* A paragraph of two links or more whose other text is at most this (plus
 * two separator characters per link) is a label and its links. */
#define W_LABEL_MAX_CHARS 20
/* The heading or short label (at most this many characters, no sentence
 * end) right before a dropped related list goes with it. */
#define W_LIST_LABEL_MAX_CHARS 80

/* An <article>/<main> with this much text protects its ancestors from the
 * furniture filter; a shorter <article> is a teaser card. */
#define W_PROTECT_ARTICLE_CHARS 500

/* A block whose class says caption/credit becomes a <figcaption> (kept in
 * the body, left out of the plain text) when shorter than this. */
#define W_CAPTION_MAX_CHARS 400
/* ...and holds at most this many paragraphs. */
#define W_CAPTION_MAX_PARAS 2
/* A block right after an image, in emphasis or opening with a photo word,
 * is its caption when shorter than this. */
#define W_CAPTION_AFTER_IMAGE_MAX_CHARS 300
/* A gallery counter ("Image 1 of 5") is never longer than this (bytes). */
#define W_COUNTER_MAX_BYTES 40

/* ---- JSON-LD articleBody ------------------------------------------------- */
/* Ignore an articleBody shorter than this (teasers, truncated). */
#define W_LD_MIN_CHARS 200
/* A paragraph counts as "from the articleBody" when this share of its
 * words are articleBody words. */
#define W_LD_PARA_MATCH 0.8
/* The container chosen by articleBody holds this share of the matching
 * paragraphs' text. */
#define W_LD_COVER 0.85
/* Replace the DOM answer by the articleBody text when the DOM answer covers
 * less than this share of the articleBody's words... */
#define W_LD_MIN_RECALL 0.6
/* ...or when its own words are less than this share articleBody words. */
#define W_LD_MIN_PRECISION 0.5
/* Below this share of articleBody words in the DOM answer, the container
 * holding the articleBody's paragraphs is tried, and taken when closer. */
#define W_LD_GOOD_PRECISION 0.8

/* ---- recall fallback ----------------------------------------------------- */
/* When the chosen content has less text than this share of all paragraph
 * text of the page (outside nav/footer/aside/comments), use the fallback. */
#define W_FALLBACK_RATIO 0.35
/* The fallback keeps paragraphs with at least this many characters. */
#define W_FALLBACK_MIN_CHARS 60
/* Below this many characters the result is "too short": retry without the
 * boilerplate filter (Readability's retry). */
#define W_RETRY_MIN_CHARS 250

/* ---- the whole body ------------------------------------------------------ */
/* A page is short when its whole body, cleaned (furniture left out), has
 * at most this many characters of text. */
#define W_WHOLE_SHORT_PAGE_CHARS 1000
/* The article is the whole body instead of the content found when that
 * content is empty, or when the page is short and the content holds less
 * than this share of its text (a fragment, a page that is all list or
 * table: no paragraph votes, or one short paragraph of several blocks). */
#define W_WHOLE_MIN_SHARE 0.5

/* ---- the edges of the body (extract_edges.c) ---------------------------- */
/* A first or last block longer than this is never a call to action, promo
 * or credit. */
#define W_EDGE_MAX_CHARS 400
/* Its bytes are not even counted beyond this (two bytes a character). */
#define W_EDGE_MAX_BYTES (2 * W_EDGE_MAX_CHARS)
/* At most this many blocks are trimmed from each edge. */
#define W_EDGE_MAX_BLOCKS 8

/* A block before the first real paragraph with at most this many
 * characters is a dateline or byline when it holds <time> or
 * itemprop=date*|author, opens with "By"/"Updated"..., or reads as a date
 * (a year and another number in at most W_META_LINE_MAX_WORDS words). */
#define W_META_LINE_MAX_CHARS 100
#define W_META_LINE_MAX_WORDS 10
/* A longer line of pieces ("Site | date • Updated date | By name"), up to
 * this many characters, is one when every piece is a meta line or a name
 * of at most W_META_NAME_MAX_WORDS words, two of them meta lines. */
#define W_META_PIECES_MAX_CHARS 200
#define W_META_NAME_MAX_WORDS 3

/* ---- hover cards (extract_measure.c) ------------------------------------ */
/* An inline subtree with an image, at least this many links and at least
 * this share of link text is a card shown on hover: left out. */
#define W_HOVER_CARD_MIN_LINKS 2
#define W_HOVER_CARD_LINK_DENSITY 0.5

/* ---- embedded posts ------------------------------------------------------ */
/* An element whose text is at least this share embedded posts (standard
 * embed markup) is their wrapper: never furniture, never cleaned. */
#define W_EMBED_WRAPPER_SHARE 0.8

/* ---- reading time -------------------------------------------------------- */
#define W_WORDS_PER_MINUTE 230

#endif
