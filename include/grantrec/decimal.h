/*
 * decimal.h: exact decimal numbers on GMP, the one rounding primitive, and
 * money text in and out.
 *
 * A decimal is an integer coefficient and a scale: value = coef / 10^scale.
 * Text goes straight into the coefficient (digits only, base 10): no double
 * is ever involved. Money in the grant currency is carried as an integer
 * number of cents (mpz_t); rounding to the cent happens in gr_div_round()
 * and nowhere else.
 *
 * This module knows nothing about currencies, CSV or spreadsheets.
 */
#ifndef GRANTREC_DECIMAL_H
#define GRANTREC_DECIMAL_H

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

enum gr_rounding {
	GR_ROUND_HALF_UP,   /* half away from zero: 0.125 -> 0.13, -0.125 -> -0.13 */
	GR_ROUND_HALF_EVEN, /* half to even: 0.125 -> 0.12, 0.135 -> 0.14 */
};

const char *gr_rounding_name(enum gr_rounding rounding);

struct gr_dec {
	mpz_t coef;
	int scale;
};

void gr_dec_init(struct gr_dec *dec);
void gr_dec_clear(struct gr_dec *dec);

/* How a source writes numbers. Group (thousands) marks may stand between
 * any two digits of the integer part, since exports group differently
 * (Indian exports write 12,34,567.00); a group mark of ' ' also accepts the
 * no-break spaces U+00A0 and U+202F, and '\'' also accepts U+2019. */
struct gr_number_style {
	char decimal_mark; /* '.' or ',' */
	char group_mark;   /* 0 (none), '.', ',', ' ' or '\'' */
};

#define GR_NUMBER_PLAIN ((struct gr_number_style){ .decimal_mark = '.' })

/* Returned (as these very pointers) when a number holds a separator that
 * the style has no use for, so that a caller who knows where the style
 * comes from can say which setting to change. */
extern const char GR_DEC_NO_GROUPING_POINT[];
extern const char GR_DEC_NO_GROUPING_COMMA[];

/* Limits of what gr_dec_parse accepts. */
#define GR_DEC_MAX_INT_DIGITS 18
#define GR_DEC_MAX_SCALE 12

/*
 * Parses text such as "-1.234,56", "(1,234.56)" or "1234.56-" into `out`.
 * Grammar: optional spaces, one optional sign form (a leading '-' or '+',
 * parentheses around the number, or a trailing '-'), digits with optional
 * group marks, optionally the decimal mark and at least one digit, optional
 * spaces. No exponent, no currency symbol, no hexadecimal, no "NaN".
 * At most GR_DEC_MAX_INT_DIGITS digits before the decimal mark and
 * `max_scale` (<= GR_DEC_MAX_SCALE) after it. A negative zero is zero.
 *
 * Returns NULL on success, otherwise a static text saying what was expected
 * (for a message that also quotes the value); `out` is then unspecified.
 */
const char *gr_dec_parse(struct gr_dec *out, const char *text,
                         struct gr_number_style style, int max_scale);

/* q = n / d rounded to an integer by `rounding`; d must not be zero. */
void gr_div_round(mpz_t q, const mpz_t n, const mpz_t d,
                  enum gr_rounding rounding);

/* The same rule on 128-bit integers, for the per-line conversion of
 * amounts and rates short enough for it (nearly all): q = n / d rounded by
 * `rounding`, d > 0. It gives what gr_div_round gives (tested against it). */
__extension__ typedef __int128 gr_i128;
__extension__ typedef unsigned __int128 gr_u128;
gr_i128 gr_div_round_i128(gr_i128 n, gr_i128 d, enum gr_rounding rounding);

/* out = v. */
void gr_mpz_set_i128(mpz_t out, gr_i128 v);

/* cents = dec rounded to two decimals. Sets *inexact when it had more
 * decimals that were not all zero. */
void gr_dec_to_cents(mpz_t cents, const struct gr_dec *dec,
                     enum gr_rounding rounding, bool *inexact);

/* Significant digits of the value as written ("000120.50" has 5; zero
 * has none). A spreadsheet's numbers keep 15 of them exactly. */
size_t gr_dec_significant_digits(const struct gr_dec *dec);
#define GR_SPREADSHEET_DIGITS 15

/* Exact conversion: value of `dec` as a rational. */
void gr_dec_to_mpq(mpq_t out, const struct gr_dec *dec);

/* Big enough for any amount the parsers accept, summed over any file. */
#define GR_MONEY_BUF 80

/* "-1234.56" (no grouping): the form of the JSON contract. */
char *gr_cents_str(char buf[GR_MONEY_BUF], const mpz_t cents);
/* "-1,234.56": for people at a terminal. */
char *gr_cents_grouped(char buf[GR_MONEY_BUF], const mpz_t cents);
/* The decimal's own text with its own scale, e.g. "1234.500". */
char *gr_dec_str(char buf[GR_MONEY_BUF], const struct gr_dec *dec);
/* A rational rounded half-up to `places` decimals, e.g. "0.004512". */
char *gr_mpq_str(char buf[GR_MONEY_BUF], const mpq_t value, int places);

#endif
