/* test_text.c: sentences, keywords, summaries, paragraph text. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "newsform.h"
#include "text.h"
#include "text_stopwords.h"

/* The sentences of text joined by " | " (whitespace squashed). */
static char *split(const char *text) {
  nf_spanlist l = {0};
  nf_buf out;
  nf_buf_init(&out);
  nf_sentences(text, strlen(text), &l);
  for (size_t i = 0; i < l.len; i++) {
    if (i) nf_buf_puts(&out, " | ");
    nf_text_squash(text + l.items[i].start, l.items[i].len, &out);
  }
  nf_spanlist_free(&l);
  return nf_buf_detach(&out);
}

static void check_split(const char *text, const char *want, const char *name) {
  char *got = split(text);
  STR_EQ(got, want, name);
  free(got);
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  nf_buf b;
  nf_buf_init(&b);
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) nf_buf_put(&b, chunk, n);
  fclose(f);
  *len = b.len;
  return nf_buf_detach(&b);
}

static void test_sorted_lists(void) {
  int sorted = 1;
  for (size_t i = 1; i < sizeof stop_words / sizeof *stop_words; i++)
    if (strcmp(stop_words[i - 1], stop_words[i]) >= 0) sorted = 0;
  OK(sorted, "stop word list is sorted and unique");
  sorted = 1;
  for (size_t i = 1; i < sizeof common_words / sizeof *common_words; i++)
    if (strcmp(common_words[i - 1], common_words[i]) >= 0) sorted = 0;
  OK(sorted, "common word list is sorted and unique");
}

static void test_sentences_basic(void) {
  check_split("One. Two! Three? Four", "One. | Two! | Three? | Four",
              "plain terminators");
  check_split("", "", "empty text");
  check_split("   \n\n  ", "", "whitespace only");
  check_split("No terminator at all", "No terminator at all", "no end");
  check_split("He left. she stayed.", "He left. she stayed.",
              "lower-case word after a period does not start a sentence");
  check_split("Title without period\n\nFirst paragraph. Second one.",
              "Title without period | First paragraph. | Second one.",
              "blank line ends a sentence");
  check_split("a line\nwrapped here. Next.", "a line wrapped here. | Next.",
              "single newline is a space");
  check_split("* * *\n\nText.", "Text.", "pieces without words skipped");
}

static void test_sentences_abbreviations(void) {
  check_split("U.S. Secretary of State Hillary Clinton spoke. Then she left.",
              "U.S. Secretary of State Hillary Clinton spoke. | Then she left.",
              "U.S. before a name");
  check_split("He moved to the U.S. He likes it.",
              "He moved to the U.S. | He likes it.",
              "U.S. ends a sentence before a function word");
  check_split("Talks in the U.K. Parliament resumed.",
              "Talks in the U.K. Parliament resumed.", "U.K. mid-sentence");
  check_split("Pakistani top Gen. Ashfaq Kayani said so. Dr. Who agreed.",
              "Pakistani top Gen. Ashfaq Kayani said so. | Dr. Who agreed.",
              "Gen. and Dr.");
  check_split("Mr. and Mrs. Smith met Sen. Jones, Rep. Lee and Gov. Ray.",
              "Mr. and Mrs. Smith met Sen. Jones, Rep. Lee and Gov. Ray.",
              "Mr. Mrs. Sen. Rep. Gov.");
  check_split("Lt. Col. Smith, Sgt. Ray and Prof. Ng live on St. James St. "
              "Nearby.",
              "Lt. Col. Smith, Sgt. Ray and Prof. Ng live on St. James St. "
              "Nearby.",
              "Lt. Col. Sgt. Prof. St. never end");
  check_split("It happened on Jan. 5 and Oct. 20, 2011. Then more.",
              "It happened on Jan. 5 and Oct. 20, 2011. | Then more.",
              "month abbreviations before numbers");
  check_split("It was set for Dec. The date moved.",
              "It was set for Dec. | The date moved.",
              "month abbreviation before a capital ends");
  check_split("He lives at No. 10 Downing Street. It is old.",
              "He lives at No. 10 Downing Street. | It is old.", "No. 10");
  check_split("Smith vs. Jones was heard. Roe v. Wade too.",
              "Smith vs. Jones was heard. | Roe v. Wade too.", "vs. and v.");
  check_split("Fruit, e.g. Apples, and i.e. Pears. Done.",
              "Fruit, e.g. Apples, and i.e. Pears. | Done.", "e.g. and i.e.");
  check_split("We sell apples, pears, etc. The shop opens at nine.",
              "We sell apples, pears, etc. | The shop opens at nine.",
              "etc. can end a sentence");
  check_split("Books, pens, etc. are sold here.",
              "Books, pens, etc. are sold here.", "etc. mid-sentence");
  check_split("He works at Acme Inc. The firm grew. Acme Corp. Chief Ray "
              "spoke.",
              "He works at Acme Inc. | The firm grew. | Acme Corp. Chief Ray "
              "spoke.",
              "Inc. and Corp.");
  check_split("Martin Luther King Jr. Day is a holiday. Bob Smith Sr. He "
              "retired.",
              "Martin Luther King Jr. Day is a holiday. | Bob Smith Sr. | He "
              "retired.",
              "Jr. and Sr.");
  check_split("The book by J. K. Rowling sold well. She wrote more.",
              "The book by J. K. Rowling sold well. | She wrote more.",
              "initials");
  check_split("The meeting is at 5 p.m. Monday. It is late.",
              "The meeting is at 5 p.m. Monday. | It is late.",
              "a.m./p.m. before a name");
}

static void test_sentences_numbers_quotes(void) {
  check_split("Pi is 3.14 or so. The deal is worth $1.5 billion. Yes.",
              "Pi is 3.14 or so. | The deal is worth $1.5 billion. | Yes.",
              "decimals");
  check_split("In 2011. 20 people died.", "In 2011. | 20 people died.",
              "year then a number");
  check_split("Steps:\n1. Open the box.\n2. Take it out.\n3. Close it.",
              "Steps: | 1. Open the box. | 2. Take it out. | 3. Close it.",
              "numbered items");
  check_split("1. First item here. Second one.",
              "1. First item here. | Second one.",
              "numbered item at the start does not end");
  check_split("He said, \"Stop.\" Then he left.",
              "He said, \"Stop.\" | Then he left.", "straight quote closes");
  check_split("He said, \xE2\x80\x9CStop.\xE2\x80\x9D Then he left.",
              "He said, \xE2\x80\x9CStop.\xE2\x80\x9D | Then he left.",
              "curly quote closes");
  check_split("\"Why?\" he asked. 'Who?' She shrugged.",
              "\"Why?\" he asked. | 'Who?' | She shrugged.",
              "question inside quotes");
  check_split("She left (quietly.) Then rain.",
              "She left (quietly.) | Then rain.", "closing parenthesis");
  check_split("He said. \xE2\x80\x9CWe go.\xE2\x80\x9D", 
              "He said. | \xE2\x80\x9CWe go.\xE2\x80\x9D",
              "opening quote starts the next sentence");
  check_split("Wait... what happened? Nothing... Then it rained.",
              "Wait... what happened? | Nothing... | Then it rained.",
              "three-dot ellipsis");
  check_split("Well\xE2\x80\xA6 maybe. Or\xE2\x80\xA6 Not.",
              "Well\xE2\x80\xA6 maybe. | Or\xE2\x80\xA6 | Not.",
              "ellipsis character");
  check_split("Really?! Yes.", "Really?! | Yes.", "?! run");
  check_split("See example.com for more. Ok.",
              "See example.com for more. | Ok.", "domain names");
}

static void test_sentences_utf8(void) {
  check_split("\xC3\x89t\xC3\xA9 chaud. \xC3\x89t\xC3\xA9 froid.",
              "\xC3\x89t\xC3\xA9 chaud. | \xC3\x89t\xC3\xA9 froid.",
              "accented capital starts a sentence");
  check_split("Il est l\xC3\xA0. \xC3\xA9t\xC3\xA9 fini.",
              "Il est l\xC3\xA0. \xC3\xA9t\xC3\xA9 fini.",
              "accented lower case does not");
  check_split("\xD0\x9E\xD0\xBD \xD0\xB8\xD0\xB4\xD1\x91\xD1\x82. "
              "\xD0\x9E\xD0\xBD\xD0\xB0 \xD1\x82\xD0\xBE\xD0\xB6\xD0\xB5.",
              "\xD0\x9E\xD0\xBD \xD0\xB8\xD0\xB4\xD1\x91\xD1\x82. | "
              "\xD0\x9E\xD0\xBD\xD0\xB0 \xD1\x82\xD0\xBE\xD0\xB6\xD0\xB5.",
              "Cyrillic");
  check_split("\xE4\xBB\x8A\xE5\xA4\xA9\xE3\x80\x82\xE6\x98\x8E\xE5\xA4\xA9"
              "\xE3\x80\x82",
              "\xE4\xBB\x8A\xE5\xA4\xA9\xE3\x80\x82 | \xE6\x98\x8E\xE5\xA4"
              "\xA9\xE3\x80\x82",
              "CJK full stop needs no space");
  check_split("Go.\xC2\xA0Now.", "Go. | Now.", "no-break space");
  /* Broken UTF-8 must not crash or split inside a sequence. */
  check_split("Bad \xE2\x80. Byte \xFF here. End",
              "Bad \xE2\x80. | Byte \xFF here. | End", "invalid bytes");
}

static void test_sentence_spans(void) {
  const char *t = "  First one.  Second one.  ";
  nf_spanlist l = {0};
  INT_EQ(nf_sentences(t, strlen(t), &l), 2, "two spans");
  INT_EQ(l.items[0].start, 2, "first span trimmed start");
  INT_EQ(l.items[0].len, 10, "first span length");
  INT_EQ(l.items[1].start, 14, "second span start");
  nf_spanlist_free(&l);
  /* A long run of periods and abbreviations stays linear and safe. */
  size_t n = 200000;
  char *big = malloc(n + 1);
  for (size_t i = 0; i < n; i++) big[i] = (i % 2) ? '.' : 'U';
  big[n] = 0;
  size_t c = nf_sentences(big, n, &l);
  INT_EQ(c, 1, "one long dotted token is one sentence");
  nf_spanlist_free(&l);
  for (size_t i = 0; i < n; i++) big[i] = (i % 3 == 2) ? ' ' : (i % 3 ? '.' : 'A');
  c = nf_sentences(big, n, &l);
  OK(c > 0, "many initials split without trouble");
  nf_spanlist_free(&l);
  free(big);
}

/* Keywords joined by ", ". */
static char *keywords(const char *text, size_t n) {
  nf_keywordlist k = {0};
  nf_buf out;
  nf_buf_init(&out);
  nf_keywords(text, strlen(text), n, &k);
  for (size_t i = 0; i < k.len; i++) {
    if (i) nf_buf_puts(&out, ", ");
    nf_buf_puts(&out, k.items[i].phrase);
  }
  nf_keywordlist_free(&k);
  return nf_buf_detach(&out);
}

static const char *const small_article =
    "Flooding in North Waziristan\n\n"
    "Heavy rain caused flooding in North Waziristan on Monday. The "
    "flooding destroyed bridges and roads, officials said.\n\n"
    "Rescue teams from Peshawar reached the villages of North Waziristan "
    "late on Tuesday. The teams said the bridges would take months to "
    "rebuild.\n\n"
    "Pakistan's government promised money for the bridges. The "
    "government of Pakistan has struggled with flooding before.";

static void test_keywords(void) {
  char *k = keywords(small_article, 5);
  STR_EQ(k, "North Waziristan, flooding, bridges, teams, Pakistan",
         "keywords of a small article");
  free(k);
  k = keywords(small_article, 2);
  STR_EQ(k, "North Waziristan, flooding", "n limits the list");
  free(k);
  char *again = keywords(small_article, 5);
  k = keywords(small_article, 5);
  STR_EQ(k, again, "keywords are deterministic");
  free(k);
  free(again);
  k = keywords("The and of it is was. It was the one.", 5);
  STR_EQ(k, "", "only stop words: no keywords");
  free(k);
  k = keywords("Zebra apple zebra apple mango", 3);
  STR_EQ(k, "Zebra apple, mango", "a repeated phrase beats its words");
  free(k);
  k = keywords("Zebra, apple; zebra, apple, mango, zebra.", 3);
  STR_EQ(k, "zebra, apple, mango", "the form most often written");
  free(k);
  k = keywords("Pear, kiwi, kiwi, pear, fig", 3);
  STR_EQ(k, "Pear, kiwi, fig", "ties by first occurrence (word and form)");
  free(k);
  k = keywords("In 2011 and 2012, 10 of 20 were 3.5 x.", 3);
  STR_EQ(k, "", "numbers and single letters are no keywords");
  free(k);
  k = keywords("Kayani\xE2\x80\x99s plan. Kayani's view. Kayani spoke.", 1);
  STR_EQ(k, "Kayani", "possessives fold into the name");
  free(k);
  k = keywords("Time and people and year. Glacier.", 1);
  STR_EQ(k, "Glacier", "frequent English words weigh less");
  free(k);
  nf_keywordlist l = {0};
  INT_EQ(nf_keywords(small_article, strlen(small_article), 0, &l), 0,
         "n = 0 gives nothing");
  nf_keywords(small_article, strlen(small_article), 1, &l);
  INT_EQ(l.items[0].count, 3, "count of North Waziristan");
  OK(l.items[0].score > 5.9 && l.items[0].score < 6.1,
     "score = count x words");
  nf_keywordlist_free(&l);
}

static char *summary(const char *text, size_t n, nf_summary_method m) {
  nf_spanlist l = {0};
  nf_buf out;
  nf_buf_init(&out);
  nf_summary(text, strlen(text), n, m, &l);
  for (size_t i = 0; i < l.len; i++) {
    if (i) nf_buf_puts(&out, " | ");
    nf_text_squash(text + l.items[i].start, l.items[i].len, &out);
  }
  nf_spanlist_free(&l);
  return nf_buf_detach(&out);
}

/* Twelve sentences; the middle ones share the article's main words. */
static const char *const long_article =
    "The city council met on Monday. "
    "Weather was mild. "
    "The council approved a budget for new bridges and parks. "
    "A dog barked outside. "
    "The bridges budget gives the council money for repairs. "
    "Parks will get trees. "
    "Council members said the bridges budget was overdue. "
    "Lunch was served. "
    "The mayor praised the council and its bridges budget. "
    "Traffic was light. "
    "Nobody objected. "
    "The meeting ended at noon.";

static void test_summary(void) {
  char *s = summary("One. Two. Three. Four.", 2, NF_SUMMARY_LEAD);
  STR_EQ(s, "One. | Two.", "lead takes the first sentences");
  free(s);
  s = summary("One. Two.", 5, NF_SUMMARY_TEXTRANK);
  STR_EQ(s, "One. | Two.", "n beyond the sentence count gives all");
  free(s);
  s = summary("One. Two. Three.", 0, NF_SUMMARY_AUTO);
  STR_EQ(s, "", "n = 0 gives nothing");
  free(s);
  s = summary(long_article, 3, NF_SUMMARY_TEXTRANK);
  STR_EQ(s,
         "The council approved a budget for new bridges and parks. | Council "
         "members said the bridges budget was overdue. | The mayor praised "
         "the council and its bridges budget.",
         "textrank picks the central sentences, in text order");
  char *again = summary(long_article, 3, NF_SUMMARY_TEXTRANK);
  STR_EQ(again, s, "textrank is deterministic");
  free(again);
  free(s);
  s = summary(long_article, 3, NF_SUMMARY_AUTO);
  STR_CONTAINS(s, "The city council met on Monday. | ",
               "auto on a long text starts with the lead");
  OK(s && !strstr(s, "Weather") && !strstr(s, "Lunch"),
     "auto fills with central sentences");
  free(s);
  s = summary("Short one. It has. Four sentences. Only.", 2, NF_SUMMARY_AUTO);
  STR_EQ(s, "Short one. | It has.", "auto on a short text is lead");
  free(s);

  /* The seed article (when the shared corpus is there). */
  size_t len;
  char *seed = read_file("../shared/corpus/seed/clinton-pakistan.txt", &len);
  if (!seed) {
    printf("ok %d - # SKIP seed article absent\n", ++nf_test_count);
    return;
  }
  const char *body = strstr(seed, "U.S. Secretary of State Hillary Clinton "
                                  "reiterated a call on Pakistan to attack "
                                  "Taliban and Haqqani enclaves in North "
                                  "Waziristan, stepping");
  OK(body != NULL, "seed has its lead paragraph");
  if (body) {
    size_t blen = len - (size_t)(body - seed);
    nf_spanlist l = {0};
    size_t S = nf_sentences(body, blen, &l);
    INT_EQ(S, 19, "seed body has 19 sentences");
    nf_buf sn;
    nf_buf_init(&sn);
    if (S > 9) {
      nf_text_squash(body + l.items[4].start, l.items[4].len, &sn);
      STR_CONTAINS(sn.ptr, "top Gen. Ashfaq Kayani, said", "seed: Gen. kept");
      nf_buf_clear(&sn);
      nf_text_squash(body + l.items[9].start, l.items[9].len, &sn);
      STR_EQ(sn.ptr, "We believe they can play either a constructive or a "
             "destructive role in helping\xE2\x80\x9D to end years of fighting "
             "in Afghanistan, she said.", "seed: sentence inside a quote");
    }
    nf_buf_free(&sn);
    nf_buf first;
    nf_buf_init(&first);
    nf_text_squash(body + l.items[0].start, l.items[0].len, &first);
    STR_EQ(first.ptr,
           "U.S. Secretary of State Hillary Clinton reiterated a call on "
           "Pakistan to attack Taliban and Haqqani enclaves in North "
           "Waziristan, stepping up pressure after the country\xE2\x80\x99s "
           "top general told the United States that it will deal with "
           "militants in the province on its own terms.",
           "seed lead is one sentence");
    nf_spanlist_free(&l);
    char *sum = summary(body, 3, NF_SUMMARY_AUTO);
    OK(sum && !strncmp(sum, first.ptr, first.len), "seed summary starts with the lead");
    size_t bars = 0;
    for (const char *p = sum; p && (p = strstr(p, " | ")); p += 3) bars++;
    INT_EQ(bars, 2, "seed summary has 3 sentences");
    printf("# seed summary: %s\n", sum);
    free(sum);
    char *k = keywords(body, 6);
    STR_CONTAINS(k, "North Waziristan", "seed keywords name North Waziristan");
    STR_CONTAINS(k, "Pakistan", "seed keywords name Pakistan");
    printf("# seed keywords: %s\n", k);
    free(k);
    nf_buf_free(&first);
  }
  free(seed);
}

static void test_paragraph_text(void) {
  const char *html =
      "<html><head><title>T</title><style>p{}</style></head><body>"
      "<h1>Head line</h1><p>First   para<br>next line.</p>"
      "<div>Second <b>bold</b> para.<script>var x;</script></div>"
      "<ul><li>one</li><li>two</li></ul>"
      "<table><tr><td>a</td><td>b</td></tr></table></body></html>";
  nf_parse_opts o = {0};
  o.type = NF_INPUT_HTML;
  char err[256];
  nf_doc *doc = nf_doc_parse(html, strlen(html), &o, err, sizeof err);
  OK(doc != NULL, "fixture parses");
  if (!doc) return;
  nf_buf b;
  nf_buf_init(&b);
  nf_text_paragraphs(nf_doc_root(doc), &b);
  STR_EQ(b.ptr,
         "Head line\n\nFirst para\nnext line.\n\nSecond bold para.\n\none\n\n"
         "two\n\na b",
         "paragraph text of a page");
  nf_buf_free(&b);
  nf_doc_free(doc);
}

/* Random mixes of the characters the splitter cares about: no crash, spans
 * in bounds, non-overlapping and in order. */
static void test_random_inputs(void) {
  static const char *const pieces[] = {
      ".", "?", "!", "\"", "'", " ", " ", "\n", "\n\n", "U", "S", "a", "Mr",
      "e.g", "1", "23", "\xE2\x80\xA6", "\xE2\x80\x9D", "\xE2\x80\x99",
      "\xC3\x89", "\xE3\x80\x82", "\xFF", "\xE2\x80", "(", ")", "The",
      "Inc", "J", "-", "\xC2\xA0", "word", "'s"};
  unsigned seed = 12345;
  int bad = 0;
  nf_buf b;
  nf_buf_init(&b);
  for (int round = 0; round < 300 && !bad; round++) {
    nf_buf_clear(&b);
    int n = 1 + round * 3;
    for (int i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      nf_buf_puts(&b, pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)]);
    }
    nf_spanlist l = {0};
    nf_sentences(b.ptr, b.len, &l);
    size_t end = 0;
    for (size_t i = 0; i < l.len; i++) {
      if (l.items[i].start < end || l.items[i].len == 0 ||
          l.items[i].start + l.items[i].len > b.len)
        bad = 1;
      end = l.items[i].start + l.items[i].len;
    }
    nf_spanlist_free(&l);
    nf_summary(b.ptr, b.len, 3, NF_SUMMARY_TEXTRANK, &l);
    for (size_t i = 0; i < l.len; i++)
      if (l.items[i].start + l.items[i].len > b.len) bad = 1;
    nf_spanlist_free(&l);
    nf_keywordlist k = {0};
    nf_keywords(b.ptr, b.len, 5, &k);
    for (size_t i = 0; i < k.len; i++)
      if (!k.items[i].phrase || !*k.items[i].phrase) bad = 1;
    nf_keywordlist_free(&k);
  }
  nf_buf_free(&b);
  OK(!bad, "300 random inputs: spans in bounds and in order");
}

/* An acronym inside a name does not end the sentence; after "the" it may. */
static void test_sentences_acronym_names(void) {
  check_split("They showed the Acme ID. Nova concept at the fair. It drew crowds.",
              "They showed the Acme ID. Nova concept at the fair. | It drew crowds.",
              "'Acme ID. Nova': an acronym inside a name");
  check_split("He moved to the USA. Nova followed him later.",
              "He moved to the USA. | Nova followed him later.",
              "'the USA.': 'the' is no name word, the sentence ends");
  check_split("She works for Acme NASA. The team grew.",
              "She works for Acme NASA. | The team grew.",
              "a function word after the acronym ends the sentence");
}

/* Headings, datelines, disclosures and bylines are never summary picks. */
static void test_summary_skips(void) {
  const char *text =
      "Bridge Plan Passes\n\n"
      "Updated 1:39 am EST, Mon November 3, 2020\n\n"
      "By Jane Roe and John Poe\n\n"
      "This post contains affiliate links, and we may earn a commission.\n\n"
      "The council approved the bridge plan on Monday after a long debate.\n\n"
      "New Lanes\n\n"
      "Two new lanes will open next year on the east side of the river.\n\n"
      "Costs rose by a third since the plan was first drawn up.";
  char *s = summary(text, 2, NF_SUMMARY_LEAD);
  STR_EQ(s,
         "The council approved the bridge plan on Monday after a long debate. | "
         "Two new lanes will open next year on the east side of the river.",
         "lead skips the heading, dateline, byline, disclosure and subheading");
  free(s);
  s = summary(text, 1, NF_SUMMARY_AUTO);
  STR_EQ(s, "The council approved the bridge plan on Monday after a long debate.",
         "auto: the lead sentence is a sentence of the story");
  free(s);
  s = summary(text, 9, NF_SUMMARY_TEXTRANK);
  OK(s && !strstr(s, "Bridge Plan Passes") && !strstr(s, "New Lanes") &&
         !strstr(s, "Updated") && !strstr(s, "By Jane") && !strstr(s, "affiliate"),
     "textrank never picks them either");
  free(s);
  s = summary("Only A Heading Here", 1, NF_SUMMARY_LEAD);
  STR_EQ(s, "Only A Heading Here", "a text that is all heading still gives it");
  free(s);
}

/* The sentences of running text: no headings, datelines, bylines or
 * disclosures; the summary's lead is their first n. */
static void test_sentences_running(void) {
  const char *text =
      "Bridge Plan Passes\n\n"
      "Updated 1:39 am EST, Mon November 3, 2020\n\n"
      "Por Ana Gil Mart\xC3\xADnez\n\n"
      "The council approved the bridge plan on Monday after a long debate. "
      "It took four hours.\n\n"
      "New Lanes\n\n"
      "Two new lanes will open next year on the east side of the river.";
  nf_spanlist l = {0};
  nf_buf out;
  nf_buf_init(&out);
  size_t n = nf_sentences_running(text, strlen(text), &l);
  for (size_t i = 0; i < l.len; i++) {
    if (i) nf_buf_puts(&out, " | ");
    nf_text_squash(text + l.items[i].start, l.items[i].len, &out);
  }
  INT_EQ(n, 3, "three sentences of running text");
  STR_EQ(out.ptr,
         "The council approved the bridge plan on Monday after a long debate. | "
         "It took four hours. | "
         "Two new lanes will open next year on the east side of the river.",
         "running: headings, dateline and byline left out");
  char *lead = summary(text, 9, NF_SUMMARY_LEAD);
  STR_EQ(lead, out.ptr, "the summary's lead is the running sentences");
  free(lead);
  nf_spanlist_free(&l);
  nf_buf_free(&out);
  check_split("Title without period\n\nFirst paragraph. Second one.",
              "Title without period | First paragraph. | Second one.",
              "nf_sentences still gives every piece");
  n = nf_sentences_running("Only A Heading Here", 19, &l);
  INT_EQ(n, 1, "running: a text that is all furniture still gives it");
  nf_spanlist_free(&l);
}

/* "()" and "(, )" left by removed links are cleaned from article text. */
static void test_empty_brackets(void) {
  const char *html =
      "<html><body><article><h1>Plan</h1>"
      "<p>The mayor said () that the bridge plan (, ) would pass this year, "
      "while a call to f() in the code sample stays as it is.</p>"
      "<p>The council will vote [ ] on the plan next week, and (this) stays.</p>"
      "</article></body></html>";
  nf_doc *doc = nf_test_parse(html);
  OK(doc != NULL, "bracket fixture parses");
  if (!doc) return;
  const nf_article *a = nf_article_extract(doc);
  STR_CONTAINS(a ? a->text : NULL,
               "The mayor said that the bridge plan would pass this year, "
               "while a call to f() in the code sample stays as it is.",
               "empty brackets and their space gone, f() kept");
  STR_CONTAINS(a ? a->text : NULL,
               "The council will vote on the plan next week, and (this) stays.",
               "empty square brackets gone, full ones kept");
  STR_CONTAINS(a ? a->description : NULL, "The mayor said that the bridge",
               "the description is cleaned too");
  nf_doc_free(doc);
}

/* Bylines in other languages: openers before names only. */
static void test_byline_openers(void) {
  static const struct {
    const char *text;
    size_t want;
  } cases[] = {
      {"Por Ana Gil Mart\xC3\xADnez", 4},  {"POR ANA GIL", 4},
      {"Von Max Roth und Eva Lang", 4},      {"Par Jean-Luc Roy", 4},
      {"di Mario Rossi", 3},                 {"Por Juan de la Cruz | Madrid", 4},
      {"Por \xC3\x81lvaro Ruiz", 4},          {"De Juan P\xC3\xA9rez y Ana Gil", 3},
      {"Por qu\xC3\xA9 sube el pan", 0},     {"Von der Leyen sagte am Montag", 0},
      {"Di Maio", 0},                        {"De Luca", 0},
      {"Por Ana Gil.", 0},                   {"Von 2020 bis 2024", 0},
      {"Por Ana Gil, 12 de marzo", 0},       {"Para Ana Gil", 0},
      {"By Jane Roe", 0},                    {"Por", 0},
      {"Von Max Roth sagte heute, dass die Bauern alte Sorten pflanzen", 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    INT_EQ(nf_text_byline_opener(cases[i].text, strlen(cases[i].text)), cases[i].want,
           cases[i].text);
}

/* The summary skips them too, and datelines in those languages. */
static void test_summary_skips_other_languages(void) {
  const char *text =
      "Por Ana Gil Mart\xC3\xADnez\n\n"
      "Actualizado a las 10:15 del 3 de marzo\n\n"
      "El ayuntamiento aprob\xC3\xB3 el plan del puente el lunes tras un largo debate.\n\n"
      "Dos carriles nuevos abrir\xC3\xA1n el a\xC3\xB1o que viene.";
  char *s = summary(text, 1, NF_SUMMARY_LEAD);
  STR_EQ(s, "El ayuntamiento aprob\xC3\xB3 el plan del puente el lunes tras un largo debate.",
         "lead skips 'Por ...' and 'Actualizado ...'");
  free(s);
}

int main(void) {
  test_sorted_lists();
  test_byline_openers();
  test_summary_skips_other_languages();
  test_sentences_running();
  test_sentences_basic();
  test_sentences_abbreviations();
  test_sentences_numbers_quotes();
  test_sentences_utf8();
  test_sentence_spans();
  test_keywords();
  test_summary();
  test_sentences_acronym_names();
  test_summary_skips();
  test_empty_brackets();
  test_paragraph_text();
  test_random_inputs();
  return nf_test_done();
}
