/* meta_date.c: dates as pages write them, normalized to ISO 8601.
 *
 * A small hand-written scanner rather than strptime: strptime depends on
 * the locale, accepts garbage ("99/99/9999" with %D on some libcs) and
 * cannot try several layouts at once. Every layout here checks the
 * calendar (month 1-12, the month's day count, leap years). */
#include "meta_date.h"

#include "newsform.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct cursor {
  const char *s;
  size_t len, pos;
} cursor;

typedef struct when {
  int year, month, day;
  int has_time, hour, min, sec;
  char zone[16];   /* "", "Z" or "+hh:mm" */
} when;

static int peek(const cursor *c) {
  return c->pos < c->len ? (unsigned char)c->s[c->pos] : -1;
}

static void skip_blanks(cursor *c) {
  while (c->pos < c->len) {
    unsigned char ch = (unsigned char)c->s[c->pos];
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      c->pos++;
    } else if (ch == 0xC2 && c->pos + 1 < c->len &&
               (unsigned char)c->s[c->pos + 1] == 0xA0) {
      c->pos += 2;   /* no-break space */
    } else {
      break;
    }
  }
}

/* Reads between min and max digits; -1 when fewer than min. */
static int read_digits(cursor *c, int min, int max) {
  int v = 0, n = 0;
  while (n < max && isdigit(peek(c))) {
    v = v * 10 + (c->s[c->pos] - '0');
    c->pos++;
    n++;
  }
  if (n < min) return -1;
  if (isdigit(peek(c))) return -1;   /* too many digits */
  return v;
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int valid_date(int y, int m, int d) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1000 || y > 2999 || m < 1 || m > 12 || d < 1) return 0;
  int dim = days[m - 1] + (m == 2 && is_leap(y));
  return d <= dim;
}

/* Case-insensitive word at the cursor; consumes it when it matches and is
 * not followed by another letter. */
static int match_word(cursor *c, const char *w) {
  size_t n = strlen(w);
  if (c->len - c->pos < n || strncasecmp(c->s + c->pos, w, n) != 0) return 0;
  if (c->pos + n < c->len && isalpha((unsigned char)c->s[c->pos + n]))
    return 0;
  c->pos += n;
  return 1;
}

static int read_month_name(cursor *c) {
  static const char *const full[] = {"january", "february", "march",
                                     "april", "may", "june", "july",
                                     "august", "september", "october",
                                     "november", "december"};
  static const char *const abbr[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};
  for (int i = 0; i < 12; i++)
    if (match_word(c, full[i])) return i + 1;
  if (match_word(c, "sept")) {
    if (peek(c) == '.') c->pos++;
    return 9;
  }
  for (int i = 0; i < 12; i++) {
    if (match_word(c, abbr[i])) {
      if (peek(c) == '.') c->pos++;
      return i + 1;
    }
  }
  return 0;
}

static void skip_weekday(cursor *c) {
  static const char *const names[] = {
      "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
      "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri",
      "sat", "sun", NULL};
  size_t save = c->pos;
  for (int i = 0; names[i]; i++) {
    if (match_word(c, names[i])) {
      if (peek(c) == '.') c->pos++;
      if (peek(c) == ',') c->pos++;
      skip_blanks(c);
      return;
    }
  }
  c->pos = save;
}

/* Day of month with an optional English ordinal suffix. */
static int read_day(cursor *c) {
  int d = 0, n = 0;
  while (n < 2 && isdigit(peek(c))) {
    d = d * 10 + (c->s[c->pos++] - '0');
    n++;
  }
  if (n == 0 || isdigit(peek(c))) return -1;
  if (!match_word(c, "st") && !match_word(c, "nd") && !match_word(c, "rd"))
    match_word(c, "th");
  return d;
}

/* Zone after a time: Z, UTC/GMT, +hh, +hhmm, +hh:mm, or a few common
 * abbreviations. Leaves zone "" when none. */
static void read_zone(cursor *c, char zone[16]) {
  static const struct { const char *name; int minutes; } named[] = {
      {"UTC", 0}, {"GMT", 0}, {"EST", -300}, {"EDT", -240}, {"CST", -360},
      {"CDT", -300}, {"MST", -420}, {"MDT", -360}, {"PST", -480},
      {"PDT", -420}, {"BST", 60}, {"CET", 60}, {"CEST", 120}, {NULL, 0}};
  zone[0] = '\0';
  size_t save = c->pos;
  skip_blanks(c);
  int ch = peek(c);
  if (ch == 'Z' || ch == 'z') {
    c->pos++;
    if (!isalpha(peek(c))) { strcpy(zone, "Z"); return; }
    c->pos = save;
    return;
  }
  int minutes = 0, found = 0;
  for (int i = 0; named[i].name; i++) {
    if (match_word(c, named[i].name)) {
      minutes = named[i].minutes;
      found = 1;
      break;
    }
  }
  if (found && (peek(c) == '+' || peek(c) == '-')) {
    found = 0;   /* "GMT+01:00": the offset follows */
  } else if (found) {
    if (minutes == 0) strcpy(zone, "Z");
    else snprintf(zone, 16, "%c%02d:%02d", minutes < 0 ? '-' : '+',
                  abs(minutes) / 60 % 100, abs(minutes) % 60);
    return;
  }
  ch = peek(c);
  if (ch == '+' || ch == '-') {
    c->pos++;
    int h = 0, m = 0, n = 0;
    while (n < 2 && isdigit(peek(c))) { h = h * 10 + (c->s[c->pos++] - '0'); n++; }
    if (n == 2) {
      if (peek(c) == ':') c->pos++;
      int k = 0;
      while (k < 2 && isdigit(peek(c))) { m = m * 10 + (c->s[c->pos++] - '0'); k++; }
      if ((k == 0 || k == 2) && !isdigit(peek(c)) && h <= 14 && m < 60) {
        if (h == 0 && m == 0) strcpy(zone, "Z");
        else snprintf(zone, 16, "%c%02d:%02d", ch, h % 100, m % 100);
        return;
      }
    }
  }
  c->pos = save;
}

/* Time of day: H:MM[:SS[.fff]] [am|pm|a.m.|p.m.] [zone]. */
static int read_time(cursor *c, when *w, int allow_ampm) {
  size_t save = c->pos;
  int h = read_digits(c, 1, 2);
  if (h < 0 || peek(c) != ':') { c->pos = save; return 0; }
  c->pos++;
  int m = read_digits(c, 2, 2), s = 0;
  if (m < 0) { c->pos = save; return 0; }
  if (peek(c) == ':') {
    c->pos++;
    s = read_digits(c, 2, 2);
    if (s < 0) { c->pos = save; return 0; }
    if (peek(c) == '.' || peek(c) == ',') {   /* fraction: dropped */
      size_t f = c->pos + 1;
      if (f < c->len && isdigit((unsigned char)c->s[f])) {
        c->pos = f;
        while (isdigit(peek(c))) c->pos++;
      }
    }
  }
  if (allow_ampm) {
    size_t before = c->pos;
    skip_blanks(c);
    int pm = -1;
    if (match_word(c, "am") || match_word(c, "a.m.") || match_word(c, "a.m")) pm = 0;
    else if (match_word(c, "pm") || match_word(c, "p.m.") || match_word(c, "p.m")) pm = 1;
    if (pm < 0) {
      c->pos = before;
    } else {
      if (h < 1 || h > 12) { c->pos = save; return 0; }
      h = h % 12 + (pm ? 12 : 0);
    }
  }
  if (h > 23 || m > 59 || s > 60) { c->pos = save; return 0; }
  w->has_time = 1;
  w->hour = h;
  w->min = m;
  w->sec = s;
  read_zone(c, w->zone);
  return 1;
}

static int scan_iso(cursor *c, when *w) {
  size_t save = c->pos;
  int y = read_digits(c, 4, 4);
  int sep = peek(c);
  if (y < 0 || (sep != '-' && sep != '/' && sep != '.')) goto no;
  c->pos++;
  int m = read_digits(c, 1, 2);
  if (m < 0 || peek(c) != sep) goto no;
  c->pos++;
  int d = read_digits(c, 1, 2);
  if (d < 0 || !valid_date(y, m, d)) goto no;
  w->year = y, w->month = m, w->day = d;
  size_t after = c->pos;
  int ch = peek(c);
  if (ch == 'T' || ch == 't' || ch == ' ') {
    c->pos++;
    if (ch == ' ') skip_blanks(c);
    if (!read_time(c, w, 0)) c->pos = after;
  }
  return 1;
no:
  c->pos = save;
  return 0;
}

static int scan_numeric(cursor *c, when *w) {
  size_t save = c->pos;
  int a = read_digits(c, 1, 2);
  int sep = peek(c);
  if (a < 0 || (sep != '/' && sep != '.' && sep != '-')) goto no;
  c->pos++;
  int b = read_digits(c, 1, 2);
  if (b < 0 || peek(c) != sep) goto no;
  c->pos++;
  int y = read_digits(c, 4, 4);
  if (y < 0) goto no;
  /* "." is the day-first European style; "/" and "-" are month first
   * (US) unless the first number cannot be a month. */
  int month = sep == '.' ? b : a, day = sep == '.' ? a : b;
  if (month > 12 && day <= 12) {
    int t = month;
    month = day;
    day = t;
  }
  if (!valid_date(y, month, day)) goto no;
  w->year = y, w->month = month, w->day = day;
  return 1;
no:
  c->pos = save;
  return 0;
}

static int read_year_after(cursor *c) {
  size_t save = c->pos;
  if (peek(c) == ',') c->pos++;
  skip_blanks(c);
  int y = read_digits(c, 4, 4);
  if (y < 0) c->pos = save;
  return y;
}

static int scan_named(cursor *c, when *w) {
  size_t save = c->pos;
  int m = read_month_name(c), d, y;
  if (m) {                       /* October 21, 2011 */
    skip_blanks(c);
    d = read_day(c);
    if (d < 0) goto no;
    y = read_year_after(c);
  } else {                       /* 21 October 2011, 21. Oktober... */
    d = read_day(c);
    if (d < 0) goto no;
    if (peek(c) == '.') c->pos++;
    skip_blanks(c);
    match_word(c, "of") && (skip_blanks(c), 1);
    m = read_month_name(c);
    if (!m) goto no;
    y = read_year_after(c);
  }
  if (y < 0 || !valid_date(y, m, d)) goto no;
  w->year = y, w->month = m, w->day = d;
  /* An optional time: "14:03:00 GMT", ", 6:01 am", " at 10:52 AM". */
  size_t after = c->pos;
  if (peek(c) == ',') c->pos++;
  skip_blanks(c);
  if (match_word(c, "at")) skip_blanks(c);
  else if (peek(c) == '-' || peek(c) == '|') { c->pos++; skip_blanks(c); }
  if (!read_time(c, w, 1)) c->pos = after;
  return 1;
no:
  c->pos = save;
  return 0;
}

static void format_when(const when *w, char out[NF_DATE_MAX]) {
  if (w->has_time)
    snprintf(out, NF_DATE_MAX, "%04d-%02d-%02dT%02d:%02d:%02d%.6s",
             w->year % 10000, w->month % 100, w->day % 100, w->hour % 100,
             w->min % 100, w->sec % 100, w->zone);
  else
    snprintf(out, NF_DATE_MAX, "%04d-%02d-%02d", w->year % 10000,
             w->month % 100, w->day % 100);
}

size_t nf_date_scan(const char *s, size_t len, char out[NF_DATE_MAX]) {
  out[0] = '\0';
  if (!s) return 0;
  cursor c = {s, len, 0};
  when w;
  memset(&w, 0, sizeof w);
  skip_blanks(&c);
  skip_weekday(&c);
  if (scan_iso(&c, &w) || scan_numeric(&c, &w) || scan_named(&c, &w)) {
    format_when(&w, out);
    return c.pos;
  }
  return 0;
}

int nf_date_parse(const char *s, char out[NF_DATE_MAX]) {
  size_t len = s ? strlen(s) : 0;
  size_t n = nf_date_scan(s, len, out);
  if (!n) return 0;
  cursor c = {s, len, n};
  if (peek(&c) == '.' || peek(&c) == ',') c.pos++;
  skip_blanks(&c);
  if (c.pos == len) return 1;
  out[0] = '\0';
  return 0;
}

/* Seconds since the epoch (UTC) to a calendar date and time. */
static void from_epoch(long long t, when *w) {
  long long days = t / 86400, rem = t % 86400;
  if (rem < 0) { rem += 86400; days--; }
  /* Howard Hinnant's days-to-civil algorithm. */
  days += 719468;
  long long era = (days >= 0 ? days : days - 146096) / 146097;
  long long doe = days - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  w->day = (int)(doy - (153 * mp + 2) / 5 + 1);
  w->month = (int)(mp < 10 ? mp + 3 : mp - 9);
  w->year = (int)(yoe + era * 400 + (w->month <= 2));
  w->has_time = 1;
  w->hour = (int)(rem / 3600);
  w->min = (int)(rem % 3600 / 60);
  w->sec = (int)(rem % 60);
  strcpy(w->zone, "Z");
}

int nf_date_parse_loose(const char *s, char out[NF_DATE_MAX]) {
  out[0] = '\0';
  if (!s) return 0;
  size_t len = strlen(s);
  if (nf_date_scan(s, len, out)) return 1;
  /* A bare Unix timestamp: 10 digits (seconds) or 13 (milliseconds). */
  size_t i = 0;
  while (i < len && isspace((unsigned char)s[i])) i++;
  size_t start = i;
  while (i < len && isdigit((unsigned char)s[i])) i++;
  size_t nd = i - start;
  while (i < len && isspace((unsigned char)s[i])) i++;
  if (i != len || (nd != 10 && nd != 13)) return 0;
  long long t = strtoll(s + start, NULL, 10);
  if (nd == 13) t /= 1000;
  when w;
  memset(&w, 0, sizeof w);
  from_epoch(t, &w);
  if (!valid_date(w.year, w.month, w.day)) return 0;
  format_when(&w, out);
  return 1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil, the inverse of from_epoch), so no dependence on timegm
 * or the local zone. */
static long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long long)doe - 719468;
}

long long nf_date_epoch(const char *s) {
  if (!s) return -1;
  cursor c = {s, strlen(s), 0};
  when w;
  memset(&w, 0, sizeof w);
  skip_blanks(&c);
  if (!scan_iso(&c, &w)) return -1;
  long long offset = 0;
  if (w.zone[0] == '+' || w.zone[0] == '-') {
    offset = atoi(w.zone + 1) * 3600LL + atoi(w.zone + 4) * 60LL;
    if (w.zone[0] == '-') offset = -offset;
  }
  return days_from_civil(w.year, (unsigned)w.month, (unsigned)w.day) * 86400 +
         w.hour * 3600LL + w.min * 60LL + w.sec - offset;
}

long long nf_bundle_parse_time(const char *iso) { return nf_date_epoch(iso); }

int nf_date_in_zone_of(const char *iso, const char *other, char out[NF_DATE_MAX]) {
  out[0] = '\0';
  if (!iso || !other) return -1;
  cursor c = {iso, strlen(iso), 0}, o = {other, strlen(other), 0};
  when w, z;
  memset(&w, 0, sizeof w);
  memset(&z, 0, sizeof z);
  if (!scan_iso(&o, &z) || (z.zone[0] != '+' && z.zone[0] != '-')) return -1;
  if (!scan_iso(&c, &w) || !w.has_time || strcmp(w.zone, "Z") != 0) return 0;
  long long t = nf_date_epoch(iso);
  long long offset = atoi(z.zone + 1) * 3600LL + atoi(z.zone + 4) * 60LL;
  if (z.zone[0] == '-') offset = -offset;
  when local;
  memset(&local, 0, sizeof local);
  from_epoch(t + offset, &local);
  memcpy(local.zone, z.zone, sizeof local.zone);
  format_when(&local, out);
  return 1;
}
