/*
 * check_decimal.c: gr_dec_parse in every dialect, the one rounding
 * primitive (gr_div_round), cents, and money text out.
 *
 *   check_decimal                 the unit tests
 *   check_decimal --dectest DIR   the IBM General Decimal Arithmetic cases
 *                                 in DIR (exit 77, skipped, when absent)
 *
 * Every expected value is worked out by hand; comments show the working
 * where it is not obvious.
 */
#include <stdint.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/decimal.h"
#include "unit.h"

/* ---- gr_dec_parse -------------------------------------------------------- */

#define NBSP "\xc2\xa0"      /* U+00A0 NO-BREAK SPACE */
#define NNBSP "\xe2\x80\xaf" /* U+202F NARROW NO-BREAK SPACE */
#define RSQUO "\xe2\x80\x99" /* U+2019 RIGHT SINGLE QUOTATION MARK */
#define EURO "\xe2\x82\xac"  /* U+20AC EURO SIGN */

struct parse_case {
	const char *text;
	char decimal_mark;
	char group_mark;
	int max_scale;
	const char *coef; /* expected coefficient; NULL: an error is expected */
	int scale;
	const char *error; /* fragment the error text must hold ("" = any) */
};

#define OK(t, d, g, ms, c, s) { t, d, g, ms, c, s, NULL }
#define BAD(t, d, g, ms, frag) { t, d, g, ms, NULL, 0, frag }

static const struct parse_case parse_cases[] = {
	/* plain, both decimal marks */
	OK("1234.56", '.', 0, 2, "123456", 2),
	OK("1234,56", ',', 0, 2, "123456", 2),
	OK("0", '.', 0, 2, "0", 0),
	OK("007", '.', 0, 2, "7", 0),
	OK("1.50", '.', 0, 2, "150", 2),     /* the scale is kept as written */
	OK("1.5", '.', 0, 1, "15", 1),
	OK("  12.5  ", '.', 0, 2, "125", 1), /* surrounding spaces */
	/* group marks: point, comma, space, apostrophe */
	OK("1,234.56", '.', ',', 2, "123456", 2),
	OK("1.234,56", ',', '.', 2, "123456", 2),
	OK("1.234.567", ',', '.', 2, "1234567", 0),
	OK("1 234,56", ',', ' ', 2, "123456", 2),
	OK("1 234 567,891", ',', ' ', 3, "1234567891", 3),
	OK("1'234.56", '.', '\'', 2, "123456", 2),
	/* Unicode variants of the space and apostrophe marks */
	OK("1" NBSP "234,56", ',', ' ', 2, "123456", 2),
	OK("1" NNBSP "234,56", ',', ' ', 2, "123456", 2),
	OK("1" NBSP "234" NNBSP "567", ',', ' ', 2, "1234567", 0),
	OK("1" RSQUO "234.56", '.', '\'', 2, "123456", 2),
	/* Indian grouping: 12,34,567.00 is twelve lakh thirty-four thousand... */
	OK("12,34,567.00", '.', ',', 2, "123456700", 2),
	OK("1,00,00,000", '.', ',', 2, "10000000", 0), /* one crore */
	/* a group mark may stand between any two digits */
	OK("1,00", '.', ',', 2, "100", 0),
	/* negatives in every form, and '+' */
	OK("-1.00", '.', 0, 2, "-100", 2),
	OK("(1.00)", '.', 0, 2, "-100", 2),
	OK("1.00-", '.', 0, 2, "-100", 2),
	OK("+1", '.', 0, 2, "1", 0),
	OK("(1,234.56)", '.', ',', 2, "-123456", 2),
	OK("1.234,56-", ',', '.', 2, "-123456", 2),
	OK("  -12.5  ", '.', 0, 2, "-125", 1),
	/* negative zero is zero */
	OK("-0", '.', 0, 2, "0", 0),
	OK("-0.00", '.', 0, 2, "0", 2),
	OK("(0)", '.', 0, 2, "0", 0),
	OK("0.00-", '.', 0, 2, "0", 2),
	/* limits: 18 integer digits, max_scale decimals (at most 12) */
	OK("999999999999999999", '.', 0, 2, "999999999999999999", 0),
	OK("999,999,999,999,999,999.99", '.', ',', 2, "99999999999999999999", 2),
	OK("0.000000000001", '.', 0, 12, "1", 12),
	OK("-999999999999999999.999999999999", '.', 0, 12,
	   "-999999999999999999999999999999", 12),
	OK("1.23", '.', 0, 6, "123", 2),

	/* not numbers of our grammar */
	BAD("1e5", '.', 0, 2, ""),
	BAD("1E5", '.', 0, 2, ""),
	BAD("1.5e-3", '.', 0, 6, ""),
	BAD("NaN", '.', 0, 2, ""),
	BAD("nan", '.', 0, 2, ""),
	BAD("Infinity", '.', 0, 2, ""),
	BAD("-inf", '.', 0, 2, ""),
	BAD("0x10", '.', 0, 2, ""),
	BAD("", '.', 0, 2, ""),
	BAD("  ", '.', 0, 2, ""),
	BAD(EURO "12", '.', 0, 2, ""),
	BAD("12" EURO, '.', 0, 2, ""),
	BAD("12 EUR", '.', 0, 2, ""),
	BAD("12 EUR", ',', ' ', 2, ""),
	BAD("EUR 12", '.', 0, 2, ""),
	BAD("$12", '.', ',', 2, ""),
	/* group marks that the style does not declare */
	BAD("1 000", '.', 0, 2, ""),
	BAD("1 000", '.', ',', 2, ""),
	BAD("1.000,00", '.', 0, 2, ""),
	BAD("1,000.00", ',', 0, 2, ""),
	BAD("1'000", '.', ' ', 2, ""),
	BAD("1" RSQUO "000", '.', ' ', 2, ""),
	BAD("1" NBSP "000", '.', '\'', 2, ""),
	BAD("1" NBSP "000", '.', 0, 2, ""),
	BAD("1" NBSP "000", ',', '.', 2, ""),
	BAD("1 234,56", ',', '.', 2, ""),
	/* group marks only between digits of the integer part */
	BAD("1,,000", '.', ',', 2, ""),
	BAD(",100", '.', ',', 2, ""),
	BAD("100,", '.', ',', 2, ""),
	BAD("1,", '.', ',', 2, ""),
	BAD("1,.5", '.', ',', 2, ""),
	BAD("1.000,5", '.', ',', 6, ""), /* a group mark after the decimal mark */
	BAD("1  000", ',', ' ', 2, ""),
	/* misplaced or doubled decimal marks */
	BAD("1..2", '.', 0, 2, ""),
	BAD("1.2.3", '.', 0, 6, ""),
	BAD("1,2,3", ',', 0, 6, ""),
	BAD("1,", ',', 0, 2, ""),
	BAD(",5", ',', 0, 2, ""),
	BAD(",5", '.', ',', 2, ""),
	BAD(".5", '.', 0, 2, ""),
	BAD("5.", '.', 0, 2, ""),
	BAD("1.000.000,5", '.', ',', 6, ""),
	/* signs: one form only, next to the digits */
	BAD("--1", '.', 0, 2, ""),
	BAD("+-1", '.', 0, 2, ""),
	BAD("-1-", '.', 0, 2, ""),
	BAD("(1", '.', 0, 2, ""),
	BAD("1)", '.', 0, 2, ""),
	BAD("(-1)", '.', 0, 2, ""),
	BAD("-(1)", '.', 0, 2, ""),
	BAD("(1)-", '.', 0, 2, ""),
	BAD("()", '.', 0, 2, ""),
	BAD("-", '.', 0, 2, ""),
	BAD("+", '.', 0, 2, ""),
	BAD("- 1", '.', 0, 2, ""),
	BAD("1 -", '.', 0, 2, ""),
	BAD("( 1 )", '.', 0, 2, ""),
	BAD("12-3", '.', 0, 2, ""),
	/* limits */
	BAD("1.234", '.', 0, 2, "2 decimals"),
	BAD("1.230", '.', 0, 2, "2 decimals"), /* digits count, zeros too */
	BAD("1.5", '.', 0, 0, ""),
	BAD("0.0000000000001", '.', 0, 12, "12 decimals"),
	BAD("1234567890123456789", '.', 0, 2, "18"),
	BAD("1,234,567,890,123,456,789", '.', ',', 2, "18"),
	BAD("-1234567890123456789.5", '.', 0, 2, "18"),
	/* stray bytes at the very end of the text: the parser must not read
	 * past the terminating NUL while looking for a multi-byte group mark
	 * (each text is copied into a buffer of exactly its size, so an
	 * AddressSanitizer build catches such a read) */
	BAD("12x", ',', ' ', 2, ""),
	BAD("12x", '.', '\'', 2, ""),
	BAD("1\xc2", ',', ' ', 2, ""),      /* a cut U+00A0 */
	BAD("1\xe2\x80", '.', '\'', 2, ""), /* a cut U+2019 */
	BAD("1" NBSP, ',', ' ', 2, ""),     /* a group mark at the end */
};

START_TEST(test_dec_parse_table)
{
	const struct parse_case *c = &parse_cases[_i];
	struct gr_number_style style = {
		.decimal_mark = c->decimal_mark, .group_mark = c->group_mark,
	};
	/* Exactly as many bytes as the text: see the note above the last cases. */
	size_t len = strlen(c->text);
	char *text = malloc(len + 1);
	ck_assert_ptr_nonnull(text);
	memcpy(text, c->text, len + 1);
	struct gr_dec dec;
	gr_dec_init(&dec);
	const char *why = gr_dec_parse(&dec, text, style, c->max_scale);
	if (c->coef) {
		ck_assert_msg(why == NULL,
		              "case %d '%s' (decimal '%c', group '%c', max %d): "
		              "rejected: %s", _i, c->text, c->decimal_mark,
		              c->group_mark ? c->group_mark : '0', c->max_scale,
		              why ? why : "");
		ut_assert_z(dec.coef, c->coef);
		ck_assert_msg(dec.scale == c->scale, "case %d '%s': scale %d, "
		              "expected %d", _i, c->text, dec.scale, c->scale);
	} else {
		ck_assert_msg(why != NULL,
		              "case %d '%s' (decimal '%c', group '%c', max %d): "
		              "accepted as %s scale %d", _i, c->text, c->decimal_mark,
		              c->group_mark ? c->group_mark : '0', c->max_scale,
		              ut_z(dec.coef), dec.scale);
		ck_assert_msg(strstr(why, c->error) != NULL,
		              "case %d '%s': error '%s' does not mention '%s'", _i,
		              c->text, why, c->error);
	}
	gr_dec_clear(&dec);
	free(text);
}
END_TEST

/* One struct gr_dec can be parsed into again and again. */
START_TEST(test_dec_parse_reuse)
{
	struct gr_dec dec;
	gr_dec_init(&dec);
	ck_assert_ptr_null(gr_dec_parse(&dec, "-12.345", GR_NUMBER_PLAIN, 6));
	ck_assert_ptr_null(gr_dec_parse(&dec, "7", GR_NUMBER_PLAIN, 6));
	ut_assert_z(dec.coef, "7");
	ck_assert_int_eq(dec.scale, 0);
	gr_dec_clear(&dec);
}
END_TEST

/* ---- gr_div_round -------------------------------------------------------- */

struct div_case {
	const char *n, *d;
	const char *half_up, *half_even;
};

static const struct div_case div_cases[] = {
	/* exact half cents: 1250/100 = 12.5 cents */
	{"1250", "100", "13", "12"},
	{"1350", "100", "14", "14"},  /* 13.5: 13 is odd, so even goes up */
	{"-1250", "100", "-13", "-12"},
	{"-1350", "100", "-14", "-14"},
	{"1250", "-100", "-13", "-12"}, /* the sign may sit on the divisor */
	{"-1250", "-100", "13", "12"},
	/* not ties: 12.4999 and 12.5001 */
	{"124999", "10000", "12", "12"},
	{"125001", "10000", "13", "13"},
	{"-124999", "10000", "-12", "-12"},
	{"-125001", "10000", "-13", "-13"},
	/* exact quotients */
	{"1200", "100", "12", "12"},
	{"-1200", "100", "-12", "-12"},
	{"0", "7", "0", "0"},
	/* around zero: 0.5 -> 1 (up) or 0 (even), -0.5 -> -1 or 0 */
	{"1", "2", "1", "0"},
	{"-1", "2", "-1", "0"},
	{"3", "2", "2", "2"},
	{"5", "2", "3", "2"},
	{"-5", "2", "-3", "-2"},
	{"1", "3", "0", "0"},
	{"2", "3", "1", "1"},
	{"-2", "3", "-1", "-1"},
	/* beyond 64 bits: (10^30 + 5) / 10 = 10^29 + 0.5 */
	{"1000000000000000000000000000005", "10",
	 "100000000000000000000000000001", "100000000000000000000000000000"},
	{"-1000000000000000000000000000015", "10",
	 "-100000000000000000000000000002", "-100000000000000000000000000002"},
	/* an odd divisor never ties: 7/3 = 2.33, 8/3 = 2.67 */
	{"7", "3", "2", "2"},
	{"8", "3", "3", "3"},
};

START_TEST(test_div_round_table)
{
	const struct div_case *c = &div_cases[_i];
	mpz_t n, d, q;
	mpz_init_set_str(n, c->n, 10);
	mpz_init_set_str(d, c->d, 10);
	mpz_init(q);
	gr_div_round(q, n, d, GR_ROUND_HALF_UP);
	ut_assert_z(q, c->half_up);
	gr_div_round(q, n, d, GR_ROUND_HALF_EVEN);
	ut_assert_z(q, c->half_even);
	/* the inputs are left alone */
	ut_assert_z(n, c->n);
	ut_assert_z(d, c->d);
	mpz_clears(n, d, q, NULL);
}
END_TEST

/* GMP's own functions let the result be one of the operands
 * (mpz_tdiv_q(x, x, d)); gr_div_round follows GMP's argument order, so an
 * in-place call must give the same result. -1/2 = -0.5: half-up -1. */
START_TEST(test_div_round_in_place)
{
	static const struct div_case cases[] = {
		{"-1", "2", "-1", "0"},
		{"-1250", "100", "-13", "-12"},
		{"1250", "100", "13", "12"},
		{"-3", "4", "-1", "-1"}, /* -0.75 */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mpz_t x, d;
		mpz_init(x);
		mpz_init_set_str(d, cases[i].d, 10);
		mpz_set_str(x, cases[i].n, 10);
		gr_div_round(x, x, d, GR_ROUND_HALF_UP);
		long up = mpz_get_si(x);
		mpz_set_str(x, cases[i].n, 10);
		gr_div_round(x, x, d, GR_ROUND_HALF_EVEN);
		long even = mpz_get_si(x);
		mpz_clears(x, d, NULL);
		ck_assert_msg(up == atol(cases[i].half_up),
		              "in place, half-up: %s / %s gave %ld, expected %s",
		              cases[i].n, cases[i].d, up, cases[i].half_up);
		ck_assert_msg(even == atol(cases[i].half_even),
		              "in place, half-even: %s / %s gave %ld, expected %s",
		              cases[i].n, cases[i].d, even, cases[i].half_even);
	}
}
END_TEST

/* ---- gr_dec_to_cents ----------------------------------------------------- */

struct cents_case {
	const char *text;
	const char *half_up, *half_even;
	bool inexact;
};

static const struct cents_case cents_cases[] = {
	/* scale 0 and 1: scaled up, never inexact */
	{"12", "1200", "1200", false},
	{"-12", "-1200", "-1200", false},
	{"1.5", "150", "150", false},
	{"-0.5", "-50", "-50", false},
	{"0", "0", "0", false},
	/* scale 2: as is */
	{"1.25", "125", "125", false},
	{"-1234567.89", "-123456789", "-123456789", false},
	/* scale > 2 */
	{"0.125", "13", "12", true},
	{"0.135", "14", "14", true},
	{"-0.125", "-13", "-12", true},
	{"-0.135", "-14", "-14", true},
	{"2.675", "268", "268", true},     /* 267.5: 267 is odd */
	{"2.665", "267", "266", true},     /* 266.5: 266 is even */
	{"0.005", "1", "0", true},
	{"-0.005", "-1", "0", true},
	{"0.004", "0", "0", true},
	{"0.0049999", "0", "0", true},
	{"0.0050001", "1", "1", true},
	{"0.120", "12", "12", false},      /* more decimals, all zero: exact */
	{"-7.000000", "-700", "-700", false},
	{"1.234999999999", "123", "123", true},
	{"999999999999999999.995", "100000000000000000000",
	 "100000000000000000000", true},   /* ...99999.5 cents, odd: both up */
};

START_TEST(test_dec_to_cents_table)
{
	const struct cents_case *c = &cents_cases[_i];
	struct gr_dec dec;
	gr_dec_init(&dec);
	const char *why = gr_dec_parse(&dec, c->text, GR_NUMBER_PLAIN, 12);
	ck_assert_msg(why == NULL, "'%s': %s", c->text, why ? why : "");
	mpz_t cents;
	mpz_init(cents);
	bool inexact = !c->inexact;
	gr_dec_to_cents(cents, &dec, GR_ROUND_HALF_UP, &inexact);
	ut_assert_z(cents, c->half_up);
	ck_assert_msg(inexact == c->inexact, "'%s' half-up: inexact %d", c->text,
	              inexact);
	inexact = !c->inexact;
	gr_dec_to_cents(cents, &dec, GR_ROUND_HALF_EVEN, &inexact);
	ut_assert_z(cents, c->half_even);
	ck_assert_msg(inexact == c->inexact, "'%s' half-even: inexact %d",
	              c->text, inexact);
	mpz_clear(cents);
	gr_dec_clear(&dec);
}
END_TEST

START_TEST(test_dec_to_mpq)
{
	static const struct { const char *text, *q; } cases[] = {
		{"1.25", "5/4"}, {"-0.50", "-1/2"}, {"3", "3"}, {"0.000", "0"},
		{"12,34,567.00", "1234567"},
	};
	struct gr_number_style indian = { .decimal_mark = '.', .group_mark = ',' };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gr_dec dec;
		gr_dec_init(&dec);
		ck_assert_ptr_null(gr_dec_parse(&dec, cases[i].text, indian, 6));
		mpq_t q;
		mpq_init(q);
		gr_dec_to_mpq(q, &dec);
		ut_assert_q(q, cases[i].q);
		mpq_clear(q);
		gr_dec_clear(&dec);
	}
}
END_TEST

/* ---- gr_div_round_i128 against gr_div_round ------------------------------ */

/* The per-line conversion divides in 128 bits; it must round exactly as
 * the GMP primitive does. Checked on numerators and denominators of every
 * size the conversion meets (amounts to 2^63 times rate denominators to
 * 2^56; rate numerators to 2^100 times 10^6), of both signs, and on exact
 * ties (n = (2q + 1) d / 2), where the two rules differ. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static gr_i128 random_magnitude(int max_bits)
{
	int bits = 1 + (int)(rng() % (uint64_t)max_bits);
	gr_u128 v = ((gr_u128)rng() << 64) | rng();
	v >>= 128 - bits;
	return (gr_i128)v;
}

static void expect_same_rounding(gr_i128 n, gr_i128 d, long *checked)
{
	mpz_t zn, zd, zq, got;
	mpz_inits(zn, zd, zq, got, NULL);
	gr_mpz_set_i128(zn, n);
	gr_mpz_set_i128(zd, d);
	for (int r = 0; r < 2; r++) {
		enum gr_rounding rounding = r ? GR_ROUND_HALF_EVEN : GR_ROUND_HALF_UP;
		gr_div_round(zq, zn, zd, rounding);
		gr_mpz_set_i128(got, gr_div_round_i128(n, d, rounding));
		if (mpz_cmp(zq, got) != 0)
			ck_abort_msg("%s / %s (%s): 128-bit %s, GMP %s", ut_z(zn),
			             ut_z(zd), gr_rounding_name(rounding), ut_z(got),
			             ut_z(zq));
		(*checked)++;
	}
	mpz_clears(zn, zd, zq, got, NULL);
}

START_TEST(test_div_round_i128)
{
	long checked = 0;
	for (int i = 0; i < 200000; i++) {
		gr_i128 n = random_magnitude(126);
		gr_i128 d = random_magnitude(120);
		if (d == 0)
			d = 1;
		if (rng() & 1)
			n = -n;
		expect_same_rounding(n, d, &checked);
		/* A tie: d even, n = q x d + d / 2 (q small enough to fit). */
		gr_i128 even = (random_magnitude(60) | 1) * 2;
		gr_i128 q = random_magnitude(60);
		gr_i128 tie = q * even + even / 2;
		expect_same_rounding(rng() & 1 ? -tie : tie, even, &checked);
	}
	/* The edges: the largest products the conversion can form. */
	gr_i128 top = ((gr_i128)1 << 126) - 1;
	expect_same_rounding(top, 3, &checked);
	expect_same_rounding(-top, 3, &checked);
	expect_same_rounding(top, top, &checked);
	expect_same_rounding(5, 10, &checked);     /* 0.5: 1 up, 0 even */
	expect_same_rounding(-15, 10, &checked);   /* -1.5: -2 both */
	expect_same_rounding(25, 10, &checked);    /* 2.5: 3 up, 2 even */
	ck_assert_int_eq(checked, 2 * (400000 + 6));
}
END_TEST

/* ---- text out ------------------------------------------------------------ */

START_TEST(test_cents_str)
{
	static const struct { const char *cents, *plain, *grouped; } cases[] = {
		{"0", "0.00", "0.00"},
		{"5", "0.05", "0.05"},
		{"-5", "-0.05", "-0.05"},
		{"50", "0.50", "0.50"},
		{"-99", "-0.99", "-0.99"},
		{"100", "1.00", "1.00"},
		{"99999", "999.99", "999.99"},
		{"100000", "1000.00", "1,000.00"},
		{"12345678", "123456.78", "123,456.78"},
		{"-123456789", "-1234567.89", "-1,234,567.89"},
		{"500000000", "5000000.00", "5,000,000.00"},
		{"100000000000000000000", "1000000000000000000.00",
		 "1,000,000,000,000,000,000.00"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mpz_t z;
		mpz_init_set_str(z, cases[i].cents, 10);
		char buf[GR_MONEY_BUF];
		ck_assert_str_eq(gr_cents_str(buf, z), cases[i].plain);
		ck_assert_str_eq(buf, cases[i].plain);
		ck_assert_str_eq(gr_cents_grouped(buf, z), cases[i].grouped);
		mpz_clear(z);
	}
}
END_TEST

START_TEST(test_dec_str)
{
	static const struct { const char *in, *out; } cases[] = {
		{"1234.500", "1234.500"}, {"-0.05", "-0.05"}, {"12", "12"},
		{"0.000001", "0.000001"}, {"(3.10)", "-3.10"}, {"-0", "0"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gr_dec dec;
		gr_dec_init(&dec);
		ck_assert_ptr_null(gr_dec_parse(&dec, cases[i].in, GR_NUMBER_PLAIN, 6));
		char buf[GR_MONEY_BUF];
		ck_assert_str_eq(gr_dec_str(buf, &dec), cases[i].out);
		gr_dec_clear(&dec);
	}
}
END_TEST

START_TEST(test_mpq_str)
{
	static const struct { const char *q; int places; const char *out; } cases[] = {
		{"-1/3", 6, "-0.333333"},
		{"2/3", 6, "0.666667"},
		{"-2/3", 6, "-0.666667"},
		{"-5/10000000", 6, "-0.000001"},  /* -0.0000005, half away from 0 */
		{"5/10000000", 6, "0.000001"},
		{"-4/10000000", 6, "0.000000"},   /* rounds to zero: no sign */
		{"0", 6, "0.000000"},
		{"1/8", 2, "0.13"},
		{"-1/8", 2, "-0.13"},
		{"7/2", 0, "4"},
		{"-7/2", 0, "-4"},
		{"12345/100", 2, "123.45"},
		{"259/3", 6, "86.333333"},        /* a transfer-average rate */
		{"1001/10", 2, "100.10"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mpq_t q;
		mpq_init(q);
		ck_assert_int_eq(mpq_set_str(q, cases[i].q, 10), 0);
		mpq_canonicalize(q);
		char buf[GR_MONEY_BUF];
		ck_assert_str_eq(gr_mpq_str(buf, q, cases[i].places), cases[i].out);
		mpq_clear(q);
	}
}
END_TEST

START_TEST(test_rounding_name)
{
	ck_assert_str_eq(gr_rounding_name(GR_ROUND_HALF_UP), "half-up");
	ck_assert_str_eq(gr_rounding_name(GR_ROUND_HALF_EVEN), "half-even");
}
END_TEST

static Suite *decimal_suite(void)
{
	Suite *s = suite_create("decimal");
	TCase *tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_dec_parse_table, 0,
	                    (int)(sizeof(parse_cases) / sizeof(parse_cases[0])));
	tcase_add_test(tc, test_dec_parse_reuse);
	suite_add_tcase(s, tc);
	tc = tcase_create("round");
	tcase_add_loop_test(tc, test_div_round_table, 0,
	                    (int)(sizeof(div_cases) / sizeof(div_cases[0])));
	tcase_add_test(tc, test_div_round_in_place);
	tcase_add_loop_test(tc, test_dec_to_cents_table, 0,
	                    (int)(sizeof(cents_cases) / sizeof(cents_cases[0])));
	tcase_add_test(tc, test_dec_to_mpq);
	suite_add_tcase(s, tc);
	tc = tcase_create("text");
	tcase_add_test(tc, test_cents_str);
	tcase_add_test(tc, test_div_round_i128);
	tcase_add_test(tc, test_dec_str);
	tcase_add_test(tc, test_mpq_str);
	tcase_add_test(tc, test_rounding_name);
	suite_add_tcase(s, tc);
	return s;
}

/* ---- the General Decimal Arithmetic test cases ---------------------------
 *
 * Each case is "id operation operand... -> result conditions", under the
 * directives above it ("rounding: half_even"). We take the half_up and
 * half_even cases of add, multiply, divide and quantize whose operands and
 * result are finite and whose conditions are at most Inexact and Rounded
 * (Overflow, Underflow, Clamped and the like depend on exponent limits we
 * do not have). For each, the exact value of the operation is computed
 * here as a rational, and gr_div_round must round it to the result's
 * exponent exactly as the test data says. A quantize to two places (rhs
 * exponent -2) whose operand fits our grammar once written without an
 * exponent is also run through gr_dec_parse and gr_dec_to_cents, checking
 * the cents and the inexact flag against the "Inexact" condition.
 */

static const char *dectest_dir;

/* Parses a decTest number ("-1.23E+5", ".5", "1e-2") into coef * 10^exp;
 * false for anything else (NaN, Inf, '#', quoted text). */
static bool dt_number(const char *s, mpz_t coef, long *exp)
{
	const char *p = s;
	bool neg = false;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	char digits[512];
	size_t n = 0;
	long frac = 0;
	bool seen_point = false, any = false;
	for (; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n + 1 >= sizeof(digits))
				return false;
			digits[n++] = *p;
			any = true;
			if (seen_point)
				frac++;
		} else if (*p == '.' && !seen_point) {
			seen_point = true;
		} else {
			break;
		}
	}
	if (!any)
		return false;
	long e = 0;
	if (*p == 'e' || *p == 'E') {
		p++;
		char *end;
		e = strtol(p, &end, 10);
		if (end == p || *end)
			return false;
		if (e > 2000 || e < -2000)
			return false;
	} else if (*p) {
		return false;
	}
	digits[n] = '\0';
	mpz_set_str(coef, digits, 10);
	if (neg)
		mpz_neg(coef, coef);
	*exp = e - frac;
	return true;
}

/* value = coef * 10^exp as a rational */
static void dt_to_mpq(mpq_t q, const mpz_t coef, long exp)
{
	mpz_set(mpq_numref(q), coef);
	mpz_set_ui(mpq_denref(q), 1);
	if (exp > 0) {
		mpz_t p;
		mpz_init(p);
		mpz_ui_pow_ui(p, 10, (unsigned long)exp);
		mpz_mul(mpq_numref(q), mpq_numref(q), p);
		mpz_clear(p);
	} else if (exp < 0) {
		mpz_ui_pow_ui(mpq_denref(q), 10, (unsigned long)-exp);
	}
	mpq_canonicalize(q);
}

struct dt_stats {
	long checked;     /* cases run through gr_div_round */
	long via_parse;   /* quantize-to-cents cases run through gr_dec_parse */
	long failures;
};

/* Writes coef * 10^exp without an exponent ("-0.0078"), or returns false
 * when that would not fit our grammar (18 integer digits, 12 decimals). */
static bool dt_plain(char *buf, size_t size, const mpz_t coef, long exp)
{
	if (exp < -GR_DEC_MAX_SCALE || exp > 40)
		return false;
	mpz_t c;
	mpz_init(c);
	mpz_abs(c, coef);
	if (exp > 0) {
		mpz_t p;
		mpz_init(p);
		mpz_ui_pow_ui(p, 10, (unsigned long)exp);
		mpz_mul(c, c, p);
		mpz_clear(p);
	}
	char digits[128];
	if (mpz_sizeinbase(c, 10) + 2 > sizeof(digits)) {
		mpz_clear(c);
		return false;
	}
	mpz_get_str(digits, 10, c);
	mpz_clear(c);
	size_t len = strlen(digits);
	size_t scale = exp < 0 ? (size_t)-exp : 0;
	char padded[160];
	size_t pad = len <= scale ? scale + 1 - len : 0;
	memset(padded, '0', pad);
	memcpy(padded + pad, digits, len + 1);
	len += pad;
	size_t int_len = len - scale;
	if (int_len > GR_DEC_MAX_INT_DIGITS)
		return false;
	snprintf(buf, size, "%s%.*s%s%s", mpz_sgn(coef) < 0 ? "-" : "",
	         (int)int_len, padded, scale ? "." : "", padded + int_len);
	return true;
}

static void dt_case(const char *file, long lineno, const char *id,
                    const char *op, char **operands, int noperands,
                    const char *result, bool inexact_flag,
                    enum gr_rounding rounding, struct dt_stats *st)
{
	mpz_t a, b, r;
	mpz_inits(a, b, r, NULL);
	long ea = 0, eb = 0, er = 0;
	mpq_t x, y;
	mpq_inits(x, y, NULL);
	bool ok = noperands == 2 && dt_number(operands[0], a, &ea) &&
	          dt_number(operands[1], b, &eb) && dt_number(result, r, &er);
	if (!ok)
		goto out;
	dt_to_mpq(x, a, ea);
	dt_to_mpq(y, b, eb);
	if (strcmp(op, "add") == 0) {
		mpq_add(x, x, y);
	} else if (strcmp(op, "multiply") == 0) {
		mpq_mul(x, x, y);
	} else if (strcmp(op, "divide") == 0) {
		if (mpq_sgn(y) == 0)
			goto out;
		mpq_div(x, x, y);
	} else if (strcmp(op, "quantize") == 0) {
		if (er != eb) {
			fprintf(stderr, "%s:%ld: %s: quantize result exponent %ld is not "
			        "the operand's %ld (reader error)\n", file, lineno, id,
			        er, eb);
			st->failures++;
			goto out;
		}
	} else {
		goto out;
	}
	/* q = x * 10^-er, rounded */
	mpz_t n, d, q, rem;
	mpz_inits(n, d, q, rem, NULL);
	mpz_set(n, mpq_numref(x));
	mpz_set(d, mpq_denref(x));
	mpz_t p;
	mpz_init(p);
	mpz_ui_pow_ui(p, 10, (unsigned long)(er < 0 ? -er : er));
	if (er < 0)
		mpz_mul(n, n, p);
	else
		mpz_mul(d, d, p);
	mpz_clear(p);
	gr_div_round(q, n, d, rounding);
	st->checked++;
	if (mpz_cmp(q, r) != 0) {
		fprintf(stderr, "%s:%ld: %s %s %s %s (%s): gr_div_round gave %s, "
		        "expected %s\n", file, lineno, id, op, operands[0],
		        operands[1], gr_rounding_name(rounding), ut_z(q), ut_z(r));
		st->failures++;
	}
	mpz_tdiv_r(rem, n, d);
	if ((mpz_sgn(rem) != 0) != inexact_flag) {
		fprintf(stderr, "%s:%ld: %s: the Inexact condition (%d) disagrees "
		        "with the exact value (reader error)\n", file, lineno, id,
		        inexact_flag);
		st->failures++;
	}
	char plain[128];
	if (strcmp(op, "quantize") == 0 && er == -2 &&
	    dt_plain(plain, sizeof(plain), a, ea)) {
		struct gr_dec dec;
		gr_dec_init(&dec);
		const char *why = gr_dec_parse(&dec, plain, GR_NUMBER_PLAIN,
		                               GR_DEC_MAX_SCALE);
		if (why) {
			fprintf(stderr, "%s:%ld: %s: gr_dec_parse('%s'): %s\n", file,
			        lineno, id, plain, why);
			st->failures++;
		} else {
			mpz_t cents;
			mpz_init(cents);
			bool inexact = !inexact_flag;
			gr_dec_to_cents(cents, &dec, rounding, &inexact);
			st->via_parse++;
			if (mpz_cmp(cents, r) != 0 || inexact != inexact_flag) {
				fprintf(stderr, "%s:%ld: %s quantize %s to cents (%s): got %s "
				        "inexact %d, expected %s inexact %d\n", file, lineno,
				        id, plain, gr_rounding_name(rounding), ut_z(cents),
				        inexact, ut_z(r), inexact_flag);
				st->failures++;
			}
			mpz_clear(cents);
		}
		gr_dec_clear(&dec);
	}
	mpz_clears(n, d, q, rem, NULL);
out:
	mpq_clears(x, y, NULL);
	mpz_clears(a, b, r, NULL);
}

/* Strips quotes around a token; NULL when the quoted text is not a plain
 * number (then the case is skipped). */
static char *dt_unquote(char *t)
{
	size_t n = strlen(t);
	if (n >= 2 && (t[0] == '\'' || t[0] == '"') && t[n - 1] == t[0]) {
		t[n - 1] = '\0';
		t++;
		if (strchr(t, '\'') || strchr(t, '"') || strchr(t, ' '))
			return NULL;
	}
	return t;
}

static bool dt_run_file(const char *path, struct dt_stats *st)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	enum { R_OTHER, R_HALF_UP, R_HALF_EVEN } rounding = R_OTHER;
	char line[2048];
	long lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *c = strstr(line, "--");
		if (c)
			*c = '\0';
		char *tok[32];
		int ntok = 0;
		char *save = NULL;
		for (char *t = strtok_r(line, " \t\r\n", &save); t && ntok < 32;
		     t = strtok_r(NULL, " \t\r\n", &save))
			tok[ntok++] = t;
		if (ntok == 0)
			continue;
		size_t l0 = strlen(tok[0]);
		if (tok[0][l0 - 1] == ':') {
			for (char *q = tok[0]; *q; q++)
				*q = (char)tolower((unsigned char)*q);
			if (strcmp(tok[0], "rounding:") == 0 && ntok >= 2)
				rounding = strcmp(tok[1], "half_up") == 0 ? R_HALF_UP
				         : strcmp(tok[1], "half_even") == 0 ? R_HALF_EVEN
				         : R_OTHER;
			continue;
		}
		if (rounding == R_OTHER || ntok < 4)
			continue;
		int arrow = -1;
		for (int i = 2; i < ntok; i++)
			if (strcmp(tok[i], "->") == 0) {
				arrow = i;
				break;
			}
		if (arrow < 0 || arrow + 1 >= ntok)
			continue;
		bool skip = false, inexact = false;
		for (int i = arrow + 2; i < ntok; i++) {
			if (strcmp(tok[i], "Inexact") == 0)
				inexact = true;
			else if (strcmp(tok[i], "Rounded") != 0)
				skip = true; /* Overflow, Underflow, Clamped, ... */
		}
		char *ops[8];
		int nops = 0;
		for (int i = 2; i < arrow && nops < 8 && !skip; i++) {
			ops[nops] = dt_unquote(tok[i]);
			if (!ops[nops++])
				skip = true;
		}
		char *res = dt_unquote(tok[arrow + 1]);
		if (skip || !res)
			continue;
		for (char *q = tok[1]; *q; q++)
			*q = (char)tolower((unsigned char)*q);
		dt_case(path, lineno, tok[0], tok[1], ops, nops, res, inexact,
		        rounding == R_HALF_UP ? GR_ROUND_HALF_UP : GR_ROUND_HALF_EVEN,
		        st);
	}
	fclose(f);
	return true;
}

START_TEST(test_dectest)
{
	static const char *const files[] = {"rounding.decTest", "quantize.decTest"};
	struct dt_stats total = {0};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *path = ut_path(dectest_dir, files[i]);
		struct dt_stats st = {0};
		ck_assert_msg(dt_run_file(path, &st), "cannot read %s", path);
		printf("%s: %ld cases through gr_div_round, %ld quantize-to-cents "
		       "cases through gr_dec_parse + gr_dec_to_cents, %ld failed\n",
		       path, st.checked, st.via_parse, st.failures);
		total.checked += st.checked;
		total.via_parse += st.via_parse;
		total.failures += st.failures;
		free(path);
	}
	ck_assert_msg(total.failures == 0, "%ld decTest cases failed (see above)",
	              total.failures);
	/* The files hold a few hundred such cases: a reader that silently
	 * skipped everything must not pass. */
	ck_assert_msg(total.checked >= 300, "only %ld cases checked",
	              total.checked);
	ck_assert_msg(total.via_parse >= 40, "only %ld quantize-to-cents cases",
	              total.via_parse);
}
END_TEST

static Suite *dectest_suite(void)
{
	Suite *s = suite_create("decimal-dectest");
	TCase *tc = tcase_create("dectest");
	tcase_add_test(tc, test_dectest);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--dectest") == 0) {
		dectest_dir = argv[2];
		static const char *const need[] = {"rounding.decTest", "quantize.decTest"};
		for (size_t i = 0; i < 2; i++) {
			char buf[4096];
			snprintf(buf, sizeof(buf), "%s/%s", dectest_dir, need[i]);
			FILE *f = fopen(buf, "r");
			if (!f) {
				printf("SKIP: %s is absent (the shared test data lives in "
				       "../shared next to the project)\n", buf);
				return 77;
			}
			fclose(f);
		}
		return ut_main(dectest_suite());
	}
	if (argc != 1) {
		fprintf(stderr, "usage: %s [--dectest DIR]\n", argv[0]);
		return 2;
	}
	return ut_main(decimal_suite());
}
