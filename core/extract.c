/* extract.c: the main content of a page (article.c asks for it).
 *
 * The page is never changed. One walk over <body> measures every element
 * (text, link text, commas, paragraphs, class/id hints); paragraphs then vote
 * for their ancestors (Readability's idea), known furniture (comments,
 * share bars, related links, nav, footers) casts no vote (trafilatura's
 * idea), and the best-scoring container plus its good siblings is copied
 * into a fresh detached tree of clean block elements (extract_emit.c).
 * The copy is then checked against two baselines: the JSON-LD articleBody
 * when the page has one, and "every real paragraph of the page" otherwise;
 * when the copy is much worse, the baseline wins. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "budget.h"
#include "extract_ctx.h"

/* ===== Excluding furniture ================================================= */

/* Is element e page furniture by its tag or class/id, and not protecting
 * the story below it? */
int ex_is_furniture(const ex_node *e) {
  if (e->flags & EXF_PROTECT) return 0;
  if (ex_is_embed_wrapper(e)) return 0;
  if (e->flags & EXF_BOILER) return 1;
  return (e->tagf & EX_TAG_CHROME) != 0;
}

/* Nodes are in document order, so a parent is settled before its children. */
void ex_mark_excluded(ex_ctx *c, int use_filter) {
  for (size_t i = 0; i < c->len; i++) {
    ex_node *e = &c->nodes[i];
    int excl = (e->flags & EXF_DROP) != 0;
    if (e->parent >= 0 && (c->nodes[e->parent].flags & EXF_EXCLUDED)) excl = 1;
    if (use_filter && i > 0 && ex_is_furniture(e)) excl = 1;
    if (excl) e->flags |= EXF_EXCLUDED;
    else e->flags &= ~(unsigned)EXF_EXCLUDED;
  }
}

/* ===== Scoring ============================================================= */

/* Does the paragraph vote for its parent (p-like) or for itself (a
 * container with loose text between its blocks)? */
static int votes_from_parent(const ex_node *e) {
  if (e->tagf & EX_TAG_PARA) return 1;
  return !(e->flags & EXF_HAS_BLOCK);
}

/* Readability's paragraph vote: 1 + commas + a point per 100 characters. */
double ex_paragraph_vote(const ex_node *e) {
  double len_points = floor((double)e->own / W_PARA_CHARS_PER_POINT);
  if (len_points > W_PARA_MAX_LEN_POINTS) len_points = W_PARA_MAX_LEN_POINTS;
  return 1.0 + e->own_commas + len_points;
}

static void cast_vote(ex_ctx *c, int idx) {
  ex_node *p = &c->nodes[idx];
  double vote = ex_paragraph_vote(p);
  int anc = votes_from_parent(p) ? p->parent : idx;
  for (int level = 0; anc >= 0 && level < W_ANCESTOR_LEVELS; level++) {
    ex_node *a = &c->nodes[anc];
    if (!(a->flags & EXF_CANDIDATE)) {
      a->flags |= EXF_CANDIDATE;
      a->score = ex_tag_base_score((const char *)a->node->name) + a->weight;
      if (a->flags & EXF_SEMANTIC) a->score += W_TAG_ARTICLE;
    }
    double div = level == 0 ? 1.0 : level == 1 ? 2.0 : level * W_ANCESTOR_DIVISOR;
    a->score += vote / div;
    anc = a->parent;
  }
}

void ex_score(ex_ctx *c) {
  for (size_t i = 0; i < c->len; i++) {
    c->nodes[i].flags &= ~(unsigned)EXF_CANDIDATE;
    c->nodes[i].score = 0;
    c->nodes[i].best_below = 0;
  }
  for (size_t k = 0; k < c->npara; k++) {
    const ex_node *p = &c->nodes[c->paras[k]];
    if (p->flags & EXF_EXCLUDED) continue;
    cast_vote(c, c->paras[k]);
  }
}

double ex_final_score(const ex_node *e) {
  if (!(e->flags & EXF_CANDIDATE)) return 0.0;
  return e->score * (1.0 - ex_link_density(e));
}

/* ===== Choosing the container ============================================== */

static int is_ancestor_idx(const ex_ctx *c, int anc, int idx) {
  while (idx >= 0) {
    if (idx == anc) return 1;
    idx = c->nodes[idx].parent;
  }
  return 0;
}

/* The nearest <article> holding element idx (itself too), or -1. */
static int article_of(const ex_ctx *c, int idx) {
  for (; idx >= 0; idx = c->nodes[idx].parent)
    if (ex_tag_is(c->nodes[idx].node, "article")) return idx;
  return -1;
}

/* Readability: when several close rivals share an ancestor with the top
 * candidate, the story is spread over them; take that ancestor. A
 * candidate in another <article> is another story, never a rival
 * (class 3: a grid of related cards is not the story spread out). */
static int common_rival_ancestor(const ex_ctx *c, int top) {
  double best = ex_final_score(&c->nodes[top]);
  int rivals[16];
  int nr = 0;
  int top_article = article_of(c, top);
  for (size_t i = 0; i < c->len && nr < 16; i++) {
    if ((int)i == top || !(c->nodes[i].flags & EXF_CANDIDATE)) continue;
    if (c->nodes[i].flags & EXF_EXCLUDED) continue;
    if (article_of(c, (int)i) != top_article) continue;
    if (ex_final_score(&c->nodes[i]) >= best * W_RIVAL_RATIO) rivals[nr++] = (int)i;
  }
  if (nr < W_RIVALS_NEEDED) return top;
  for (int anc = c->nodes[top].parent; anc > 0; anc = c->nodes[anc].parent) {
    int hits = 0;
    for (int r = 0; r < nr; r++)
      if (is_ancestor_idx(c, anc, rivals[r])) hits++;
    if (hits >= W_RIVALS_NEEDED) return anc;
  }
  return top;
}

/* Readability: climb while the parent keeps (most of) the score. */
static int climb_while_score_holds(const ex_ctx *c, int top) {
  double last = ex_final_score(&c->nodes[top]);
  double threshold = last / 3.0;
  for (int p = c->nodes[top].parent; p > 0; p = c->nodes[p].parent) {
    if (c->story_article >= 0 && !is_ancestor_idx(c, c->story_article, p)) break;
    const ex_node *pe = &c->nodes[p];
    if (!(pe->flags & EXF_CANDIDATE)) continue;
    double ps = ex_final_score(pe);
    if (ps < threshold) break;
    if (ps > last) return p;
    last = ps;
  }
  return top;
}

/* Does an <article> other than art (and not around it) hold a candidate? */
static int other_stories(const ex_ctx *c, int art) {
  for (size_t i = 1; i < c->len; i++) {
    const ex_node *e = &c->nodes[i];
    if (!ex_tag_is(e->node, "article") || (int)i == art ||
        (e->flags & EXF_EXCLUDED) || e->best_below <= 0)
      continue;
    if (!is_ancestor_idx(c, (int)i, art) && !is_ancestor_idx(c, art, (int)i)) return 1;
  }
  return 0;
}

/* Share of the words of want found in the source text of element idx. */
static double words_found_in(const ex_ctx *c, int idx, const char *want,
                             nf_buf *tmp) {
  nf_buf_clear(tmp);
  ex_source_text(c, c->nodes[idx].node, tmp);
  ex_wordset have = {0, 0, 0};
  ex_wordset_add_text(&have, tmp->ptr, tmp->len);
  double share = ex_wordset_coverage(&have, want, strlen(want), NULL);
  ex_wordset_free(&have);
  return share;
}

static int words_in(const char *s) {
  ex_textcount tc = {0, 0, 0};
  int sp = 1;
  ex_count_text(s, strlen(s), &tc, &sp);
  return tc.words;
}

/* The <article> holding an element that reads like the declared text want:
 * a paragraph holding W_STORY_MATCH of the description's words (it may go
 * on past it), or a heading sharing that share of words with the headline
 * both ways (a card's headline merely on the same topic is not it). -1
 * when none or when want is too short to tell. */
static int article_declaring(const ex_ctx *c, const char *want, int headings) {
  if (!want || words_in(want) < W_STORY_MIN_WORDS) return -1;
  ex_wordset want_words = {0, 0, 0};
  ex_wordset_add_text(&want_words, want, strlen(want));
  nf_buf tmp = NF_BUF_INIT;
  nf_buf_init(&tmp);
  int found = -1;
  for (size_t i = 1; i < c->len && found < 0; i++) {
    const ex_node *e = &c->nodes[i];
    if (e->flags & EXF_EXCLUDED) continue;
    int heading = (e->tagf & EX_TAG_PARA) && e->node->name[0] == 'h';
    if (headings ? !heading : !ex_tag_is(e->node, "p")) continue;
    int art = article_of(c, (int)i);
    if (art < 0 || words_found_in(c, (int)i, want, &tmp) < W_STORY_MATCH) continue;
    if (!headings ||
        ex_wordset_coverage(&want_words, tmp.ptr, tmp.len, NULL) >= W_STORY_MATCH)
      found = art;
  }
  nf_buf_free(&tmp);
  ex_wordset_free(&want_words);
  return found;
}

/* Do two <article>s, neither inside the other, hold candidates (the page
 * has several stories)? In document order, an article not inside the one
 * before it is beside it (an ancestor comes first). */
static int several_articles(const ex_ctx *c) {
  int last = -1;
  for (size_t i = 1; i < c->len; i++) {
    const ex_node *e = &c->nodes[i];
    if (!ex_tag_is(e->node, "article") || (e->flags & EXF_EXCLUDED) ||
        e->best_below <= 0)
      continue;
    if (last >= 0 && !is_ancestor_idx(c, last, (int)i)) return 1;
    last = (int)i;
  }
  return 0;
}

/* The <article> the page names its story: the one holding the h1, else the
 * one holding a paragraph that reads like the declared description
 * (og:description, JSON-LD), else a heading that reads like the declared
 * headline; -1 when none. */
static int declared_story_article(const ex_ctx *c) {
  for (size_t i = 1; i < c->len; i++)
    if (ex_tag_is(c->nodes[i].node, "h1") && !(c->nodes[i].flags & EXF_EXCLUDED)) {
      int art = article_of(c, (int)i);
      if (art >= 0) return art;
      break;
    }
  /* The word comparisons below only when several stories share the page. */
  if (!several_articles(c)) return -1;
  int art = article_declaring(c, c->description, 0);
  return art >= 0 ? art : article_declaring(c, c->title, 1);
}

/* Cards in different <article>s are different stories: when the top
 * candidate sits in one and the page names another as its story (by the
 * h1, the description or the headline, declared_story_article) that has
 * candidates of its own, the story is that one (class 3). */
static int story_with_headline(ex_ctx *c, int top) {
  c->story_article = -1;
  int art = declared_story_article(c);
  if (art < 0 || c->nodes[art].best_below < c->best_score * W_STORY_MIN_RATIO ||
      !other_stories(c, art))
    return top;
  /* Other stories on the page: the answer stays inside this one. */
  c->story_article = art;
  if (article_of(c, top) == art) return top;
  /* The best candidate inside that article (its subtree follows it in the
   * table). */
  int best = -1;
  double best_score = 0;
  for (int i = art; i < (int)c->len && is_ancestor_idx(c, art, i); i++) {
    const ex_node *e = &c->nodes[i];
    if (!(e->flags & EXF_CANDIDATE) || (e->flags & EXF_EXCLUDED)) continue;
    double sc = ex_final_score(e);
    if (sc > best_score) best_score = sc, best = i;
  }
  return best >= 0 ? best : top;
}

static int element_children(const xmlNode *n) {
  int k = 0;
  for (const xmlNode *ch = n->children; ch; ch = ch->next)
    if (ch->type == XML_ELEMENT_NODE) k++;
  return k;
}

int ex_pick_top(ex_ctx *c) {
  int top = -1;
  double best = 0;
  c->story_article = -1;
  for (size_t i = 1; i < c->len; i++) {
    const ex_node *e = &c->nodes[i];
    if (!(e->flags & EXF_CANDIDATE) || (e->flags & EXF_EXCLUDED)) continue;
    double s = ex_final_score(e);
    if (s > best) best = s, top = (int)i;
  }
  if (top < 0) return -1;
  c->best_score = best;
  /* Best candidate score below each element (children after parents in
   * the table, so one backward sweep). */
  for (size_t i = c->len; i-- > 1;) {
    ex_node *e = &c->nodes[i];
    double s = (e->flags & EXF_EXCLUDED) ? 0 : ex_final_score(e);
    if (s > e->best_below) e->best_below = s;
    ex_node *p = &c->nodes[e->parent];
    if (e->best_below > p->best_below) p->best_below = e->best_below;
  }
  top = story_with_headline(c, top);
  top = common_rival_ancestor(c, top);
  top = climb_while_score_holds(c, top);
  /* An only child says nothing more than its parent: go up. */
  while (c->nodes[top].parent > 0 && top != c->story_article &&
         element_children(c->nodes[c->nodes[top].parent].node) == 1)
    top = c->nodes[top].parent;
  return top;
}

/* ===== Sibling merging ===================================================== */

static int text_ends_sentence(const xmlNode *n) {
  /* Last non-space byte of the last text below n. */
  const xmlNode *last = n;
  while (last && last->last) last = last->last;
  if (!last || !last->content) return 0;
  const char *s = (const char *)last->content;
  size_t l = strlen(s);
  while (l && (s[l - 1] == ' ' || s[l - 1] == '\n' || s[l - 1] == '\t')) l--;
  return l && (s[l - 1] == '.' || s[l - 1] == '!' || s[l - 1] == '?');
}

static int same_class(const xmlNode *a, const xmlNode *b) {
  const xmlChar *ca = xmlHasProp(a, BAD_CAST "class") ? xmlGetNoNsProp(a, BAD_CAST "class") : NULL;
  if (!ca) return 0;
  xmlChar *cb = xmlGetNoNsProp(b, BAD_CAST "class");
  int same = cb && *ca && !strcmp((const char *)ca, (const char *)cb);
  xmlFree((void *)ca);
  xmlFree(cb);
  return same;
}

/* Should sibling s of the chosen container join it? */
int ex_sibling_joins(const ex_ctx *c, int top, int s) {
  const ex_node *se = &c->nodes[s], *te = &c->nodes[top];
  if (se->flags & EXF_EXCLUDED) return 0;
  /* Other stories on the page: nothing outside this one joins it. */
  if (c->story_article >= 0 && !is_ancestor_idx(c, c->story_article, s)) return 0;
  double top_score = ex_final_score(te);
  double threshold = top_score * W_SIBLING_RATIO;
  if (threshold < W_SIBLING_MIN_SCORE) threshold = W_SIBLING_MIN_SCORE;
  double bonus = same_class(te->node, se->node) ? top_score * W_SIBLING_SAME_CLASS_BONUS : 0;
  if ((se->flags & EXF_CANDIDATE) && ex_final_score(se) + bonus >= threshold)
    return 1;
  /* The story split in two blocks: the sibling holds a strong candidate of
   * its own deeper down, and is not made of links. */
  if (se->best_below >= c->best_score * W_SIBLING_DEEP_RATIO &&
      ex_link_density(se) < W_SIBLING_P_MAX_LINK_DENSITY)
    return 1;
  if (ex_tag_is(se->node, "p")) {
    double ld = ex_link_density(se);
    if (se->text > W_SIBLING_P_MIN_CHARS && ld < W_SIBLING_P_MAX_LINK_DENSITY)
      return 1;
    if (se->text > 0 && se->text <= W_SIBLING_P_MIN_CHARS && ld == 0 &&
        text_ends_sentence(se->node))
      return 1;
  }
  return 0;
}

/* Is element n an h1, or does it hold one (a header)? */
static int holds_h1(const ex_ctx *c, const xmlNode *n) {
  if (ex_tag_is(n, "h1")) return 1;
  int i = ex_index_of(c, n);
  if (i < 0) return 0;
  for (int k = i + 1; k < (int)c->len && is_ancestor_idx(c, i, k); k++)
    if (ex_tag_is(c->nodes[k].node, "h1")) return 1;
  return 0;
}

/* A text-only summary between the h1 and the chosen container: the
 * previous sibling of top, without links, of summary length, right after
 * the h1 (class 6). */
static int is_summary_before(const ex_ctx *c, int top, const xmlNode *s) {
  const xmlNode *next = s->next;
  while (next && next->type != XML_ELEMENT_NODE) next = next->next;
  if (next != c->nodes[top].node) return 0;
  int i = ex_index_of(c, s);
  if (i < 0) return 0;
  const ex_node *e = &c->nodes[i];
  if ((e->flags & EXF_EXCLUDED) || e->links || e->imgs ||
      e->text < W_SUMMARY_MIN_CHARS || e->text > W_SUMMARY_MAX_CHARS)
    return 0;
  const xmlNode *prev = s->prev;
  while (prev && prev->type != XML_ELEMENT_NODE) prev = prev->prev;
  return prev && holds_h1(c, prev);
}

/* The chosen container and the siblings that join it, in page order. */
void ex_collect_roots(const ex_ctx *c, int top, nf_nodelist *roots) {
  int parent = c->nodes[top].parent;
  if (parent < 0) {
    nf_nodelist_push(roots, c->nodes[top].node);
    return;
  }
  for (xmlNode *ch = c->nodes[parent].node->children; ch; ch = ch->next) {
    if (ch->type != XML_ELEMENT_NODE) continue;
    int s = ex_index_of(c, ch);
    if (s < 0) continue;
    if (s == top || ex_sibling_joins(c, top, s) || is_summary_before(c, top, ch))
      nf_nodelist_push(roots, ch);
  }
}

/* ===== Baselines =========================================================== */

/* Every real paragraph of the page: not furniture, long enough, not made of
 * links. Outermost ones only (a paragraph inside another is covered). */
void ex_collect_paragraphs(const ex_ctx *c, nf_nodelist *roots, int *chars) {
  *chars = 0;
  /* paras are in post-order (children before parents): sort by index. */
  char *chosen = nf_xcalloc(c->len ? c->len : 1, 1);
  for (size_t k = 0; k < c->npara; k++) {
    int i = c->paras[k];
    const ex_node *p = &c->nodes[i];
    if (p->flags & EXF_EXCLUDED) continue;
    if (p->own < W_FALLBACK_MIN_CHARS) continue;
    if (c->story_article >= 0 && !is_ancestor_idx(c, c->story_article, i)) continue;
    if (ex_link_density(p) > W_SIBLING_P_MAX_LINK_DENSITY) continue;
    chosen[i] = 1;
  }
  for (size_t i = 0; i < c->len; i++) {
    if (!chosen[i]) continue;
    int covered = 0;
    for (int a = c->nodes[i].parent; a >= 0; a = c->nodes[a].parent)
      if (chosen[a]) { covered = 1; break; }
    if (covered) continue;
    nf_nodelist_push(roots, c->nodes[i].node);
    *chars += c->nodes[i].text;
  }
  free(chosen);
}

/* With the articleBody's words: the deepest element holding nearly all
 * paragraphs that read like the articleBody, or -1. */
int ex_align_with_ld(ex_ctx *c, const ex_wordset *ld) {
  nf_buf tmp = NF_BUF_INIT;
  int total = 0;
  for (size_t i = 0; i < c->len; i++) c->nodes[i].ld_chars = 0;
  for (size_t k = 0; k < c->npara; k++) {
    int i = c->paras[k];
    ex_node *p = &c->nodes[i];
    if (p->flags & EXF_DROP) continue;
    nf_buf_clear(&tmp);
    ex_source_text(c, p->node, &tmp);
    size_t nw = 0;
    double cov = ex_wordset_coverage(ld, tmp.ptr, tmp.len, &nw);
    if (nw < 4 || cov < W_LD_PARA_MATCH) continue;
    /* Count the paragraph's own text once, at every ancestor. */
    for (int a = i; a >= 0; a = c->nodes[a].parent) c->nodes[a].ld_chars += p->own;
    total += p->own;
  }
  nf_buf_free(&tmp);
  if (!total) return -1;
  int best = -1;
  for (size_t i = 0; i < c->len; i++)
    if (c->nodes[i].ld_chars >= total * W_LD_COVER) best = (int)i;
  return best;
}

/* ===== The entry point (article.c) ========================================= */

static void ctx_init(ex_ctx *c, nf_doc *doc, const nf_article *meta) {
  memset(c, 0, sizeof *c);
  c->doc = doc;
  c->base_url = nf_doc_url(doc);
  c->title = meta ? meta->title : NULL;
  c->description = meta ? meta->description : NULL;
  if (c->title) {
    ex_textcount tc = {0, 0, 0};
    int sp = 1;
    ex_count_text(c->title, strlen(c->title), &tc, &sp);
    c->title_chars = tc.chars;
  }
  c->text_doc = nf_doc_type(doc) == NF_INPUT_TEXT;
  c->story_article = -1;
}

/* A fresh tree we never handed out: safe to free. */
static void drop_tree(xmlNode *n) {
  if (n) xmlFreeNode(n);
}

/* Emits roots; returns the tree and its text (replacing *text). */
static xmlNode *emit_with_text(ex_ctx *c, const nf_nodelist *roots, nf_buf *text) {
  xmlNode *out = ex_emit(c, roots);
  if (!c->whole) {
    ex_trim_edges(c, out);
    ex_mark_captions(out);
  }
  ex_drop_empty_brackets(out);
  nf_buf_clear(text);
  ex_body_text(out, text);
  return out;
}

/* The chosen container plus joining siblings, or NULL when nothing votes. */
static xmlNode *extract_scored(ex_ctx *c, int use_filter, nf_buf *text) {
  ex_mark_excluded(c, use_filter);
  ex_score(c);
  int top = ex_pick_top(c);
  if (top < 0) return NULL;
  nf_nodelist roots = {0, 0, 0};
  ex_collect_roots(c, top, &roots);
  xmlNode *out = emit_with_text(c, &roots, text);
  nf_nodelist_free(&roots);
  return out;
}

/* Text dumps: the body is the article's paragraphs, figures and lists, after
 * the header (title, standfirst, byline, dateline). */
static xmlNode *extract_text_doc(ex_ctx *c, xmlNode *body, nf_buf *text) {
  ex_mark_excluded(c, 0);
  xmlNode *container = body;
  for (xmlNode *ch = body->children; ch; ch = ch->next)
    if (ch->type == XML_ELEMENT_NODE && ex_tag_is(ch, "article")) container = ch;
  nf_nodelist roots = {0, 0, 0};
  for (xmlNode *ch = container->children; ch; ch = ch->next) {
    if (ch->type != XML_ELEMENT_NODE || ex_tag_is(ch, "header") || ex_tag_is(ch, "h1"))
      continue;
    nf_nodelist_push(&roots, ch);
  }
  xmlNode *out = emit_with_text(c, &roots, text);
  nf_nodelist_free(&roots);
  return out;
}

static int text_chars(const nf_buf *text) {
  ex_textcount tc = {0, 0, 0};
  int sp = 1;
  ex_count_text(text->ptr, text->len, &tc, &sp);
  return tc.chars;
}

/* Checks the answer against the JSON-LD articleBody and replaces it when
 * much worse: first by the container that best holds the articleBody's
 * paragraphs, then by the articleBody text itself. */
static xmlNode *check_with_ld(ex_ctx *c, xmlNode *out, nf_buf *text,
                              const char *ld) {
  if (text_chars(text) >= (int)strlen(ld) && ex_ld_is_teaser(ld, text->ptr, text->len))
    return out;
  ex_wordset ld_words = {0, 0, 0}, out_words = {0, 0, 0};
  ex_wordset_add_text(&ld_words, ld, strlen(ld));
  ex_wordset_add_text(&out_words, text->ptr, text->len);
  double recall = ex_wordset_coverage(&out_words, ld, strlen(ld), NULL);
  double precision = ex_wordset_coverage(&ld_words, text->ptr, text->len, NULL);
  ex_wordset_free(&out_words);
  if (recall >= W_LD_MIN_RECALL && precision >= W_LD_GOOD_PRECISION) {
    ex_wordset_free(&ld_words);
    return out;
  }
  int best = ex_align_with_ld(c, &ld_words);
  if (best >= 0) {
    nf_nodelist roots = {0, 0, 0};
    nf_nodelist_push(&roots, c->nodes[best].node);
    nf_buf alt_text = NF_BUF_INIT;
    nf_buf_init(&alt_text);
    xmlNode *alt = emit_with_text(c, &roots, &alt_text);
    nf_nodelist_free(&roots);
    ex_wordset alt_words = {0, 0, 0};
    ex_wordset_add_text(&alt_words, alt_text.ptr, alt_text.len);
    double r2 = ex_wordset_coverage(&alt_words, ld, strlen(ld), NULL);
    double p2 = ex_wordset_coverage(&ld_words, alt_text.ptr, alt_text.len, NULL);
    ex_wordset_free(&alt_words);
    if (r2 >= W_LD_MIN_RECALL && p2 >= W_LD_MIN_PRECISION &&
        r2 + p2 > recall + precision) {
      drop_tree(out);
      nf_buf_clear(text);
      nf_buf_put(text, alt_text.ptr, alt_text.len);
      nf_buf_free(&alt_text);
      ex_wordset_free(&ld_words);
      return alt;
    }
    drop_tree(alt);
    nf_buf_free(&alt_text);
  }
  ex_wordset_free(&ld_words);
  /* A DOM answer holding the articleBody is kept even when it has much
   * more: the articleBody may be a truncated teaser. */
  if (recall >= W_LD_MIN_RECALL) return out;
  drop_tree(out);
  xmlNode *plain = ex_emit_plain(c, ld);
  nf_buf_clear(text);
  ex_body_text(plain, text);
  return plain;
}

/* The cleaned content of the whole body: furniture and the heading that
 * is the title left out, unless nothing else has text (a fragment that is
 * a headline, or all nav). NULL when the body has no text at all. */
static xmlNode *extract_whole(ex_ctx *c, xmlNode *body, nf_buf *text) {
  static const struct { int filter, whole; } tries[] = {
      {1, EX_WHOLE}, {1, EX_WHOLE_TITLE}, {0, EX_WHOLE_TITLE}};
  nf_nodelist roots = {0, 0, 0};
  nf_nodelist_push(&roots, body);
  xmlNode *out = NULL;
  for (size_t i = 0; i < sizeof tries / sizeof *tries && !out; i++) {
    c->whole = tries[i].whole;
    ex_mark_excluded(c, tries[i].filter);
    out = emit_with_text(c, &roots, text);
    if (!text_chars(text)) {
      drop_tree(out);
      out = NULL;
    }
  }
  c->whole = 0;
  nf_nodelist_free(&roots);
  return out;
}

/* Keeps alt (its text in alt_text) as the answer instead of *out when
 * better, else drops it; frees alt_text. Returns better. */
static int choose(xmlNode **out, nf_buf *text, xmlNode *alt, nf_buf *alt_text,
                  int better) {
  if (better) {
    drop_tree(*out);
    *out = alt;
    nf_buf_clear(text);
    nf_buf_put(text, alt_text->ptr, alt_text->len);
  } else {
    drop_tree(alt);
  }
  nf_buf_free(alt_text);
  return better;
}

/* Is the whole body the better answer than the content found (chars of
 * text)? Only a short page is looked at (see W_WHOLE_* ); a text dump only
 * when its content is empty (its header is not the story). */
static xmlNode *maybe_whole(ex_ctx *c, xmlNode *body, xmlNode *out,
                            nf_buf *text, nf_article_source *source) {
  int chars = out ? text_chars(text) : 0;
  if (chars && (c->text_doc ||
                chars >= W_WHOLE_SHORT_PAGE_CHARS * W_WHOLE_MIN_SHARE))
    return out;
  nf_buf whole_text = NF_BUF_INIT;
  nf_buf_init(&whole_text);
  xmlNode *whole = extract_whole(c, body, &whole_text);
  int whole_chars = whole ? text_chars(&whole_text) : 0;
  if (choose(&out, text, whole, &whole_text,
             whole && (!chars || (whole_chars <= W_WHOLE_SHORT_PAGE_CHARS &&
                                  chars < whole_chars * W_WHOLE_MIN_SHARE))))
    *source = NF_ARTICLE_WHOLE;
  return out;
}

nf_node *nf_content_read(nf_doc *doc, const nf_article *meta, nf_buf *text,
                         nf_article_source *source) {
  nf_article_source src = NF_ARTICLE_CONTENT;
  if (source) *source = src;
  xmlNode *body = nf_doc_body(doc);
  if (!body) return NULL;
  ex_ctx c;
  ctx_init(&c, doc, meta);
  ex_measure(&c, body);
  xmlNode *out = NULL;
  if (nf_budget_tick()) {
    /* budget exhausted (budget.h): the caller discards the article */
  } else if (c.text_doc) {
    out = extract_text_doc(&c, body, text);
  } else {
    out = extract_scored(&c, 1, text);
    /* Readability's retry: the furniture filter may have hidden the story. */
    if (!out || text_chars(text) < W_RETRY_MIN_CHARS) {
      nf_buf alt_text = NF_BUF_INIT;
      nf_buf_init(&alt_text);
      xmlNode *alt = extract_scored(&c, 0, &alt_text);
      choose(&out, text, alt, &alt_text,
             alt && (!out || text_chars(&alt_text) > text_chars(text)));
      ex_mark_excluded(&c, 1);
    }
    /* Recall fallback: every real paragraph of the page. */
    nf_nodelist paras = {0, 0, 0};
    int para_chars = 0;
    ex_collect_paragraphs(&c, &paras, &para_chars);
    if (paras.len && (!out || text_chars(text) < W_FALLBACK_RATIO * para_chars)) {
      drop_tree(out);
      out = emit_with_text(&c, &paras, text);
    }
    nf_nodelist_free(&paras);
    char *ld = ex_ld_article_body(doc);
    if (ld) {
      if (!out) {
        out = ex_emit_plain(&c, ld);
        ex_body_text(out, text);
      } else {
        out = check_with_ld(&c, out, text, ld);
      }
      free(ld);
    }
  }
  if (!nf_budget_tick()) out = maybe_whole(&c, body, out, text, &src);
  ex_ctx_free(&c);
  if (source) *source = src;
  if (!out) {
    out = xmlNewDocNode(doc->xml, NULL, BAD_CAST "div", NULL);
    nf_buf_clear(text);
  }
  nf_doc_track_detached(doc, out);
  return out;
}
