/* meta_date.h: reading dates as people and pages write them (meta_date.c),
 * shared by meta.c and parse_text.c. */
#ifndef NF_META_DATE_H
#define NF_META_DATE_H

#include <stddef.h>

/* Room for the longest normalized date: "2011-10-21T14:03:00+05:30". */
#define NF_DATE_MAX 32

/* Reads a date at the start of s[0..len): ISO 8601 and its usual variants
 * ("2011-10-21", "2011-10-21T14:03:00.5Z", "2011-10-21 14:03:00 +0100",
 * "2011/10/21"), numeric "10/21/2011" (month first unless the first number
 * is over 12), "21.10.2011" (day first), and English month names with an
 * optional weekday and time ("October 21, 2011", "Oct. 21st 2011",
 * "21 Oct 2011", "Fri, 21 Oct 2011 14:03:00 GMT", "October 21, 2011 at
 * 6:01 am"). Writes ISO 8601 to out (date only, or date and time with the
 * zone as given) and returns the bytes consumed; returns 0 (out = "") when
 * s does not start with a plausible calendar date (year 1000-2999). */
size_t nf_date_scan(const char *s, size_t len, char out[NF_DATE_MAX]);

/* The whole of s (trimmed; a trailing '.' or ',' allowed) must be a date.
 * Returns 1 and fills out, or 0. */
int nf_date_parse(const char *s, char out[NF_DATE_MAX]);

/* Like nf_date_parse, but the date may be followed by other text, and a
 * Unix timestamp in seconds or milliseconds is accepted. For meta values. */
int nf_date_parse_loose(const char *s, char out[NF_DATE_MAX]);

/* Unix seconds of an ISO 8601 date or date and time ("2024-05-01",
 * "2024-05-01T10:00:00.5Z", "2024-05-01 10:00 +02:00"; no zone: UTC), or
 * -1 when s does not start with one. nf_bundle_parse_time is this. */
long long nf_date_epoch(const char *s);

/* iso (a date and time in UTC, "...Z") written in the UTC offset of the
 * ISO date other ("+05:30"): the same instant on the page's own calendar
 * day ("2020-11-12T03:00:00Z" in "-05:00" is "2020-11-11T22:00:00-05:00").
 * Returns 1 and fills out; -1 when other carries no offset (try another);
 * 0 when iso is no UTC date and time (nothing to do). */
int nf_date_in_zone_of(const char *iso, const char *other, char out[NF_DATE_MAX]);

#endif
