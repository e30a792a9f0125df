#include "grantrec/decimal.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

const char GR_DEC_NO_GROUPING_POINT[] =
	"'.' as the decimal mark and no thousands separator";
const char GR_DEC_NO_GROUPING_COMMA[] =
	"',' as the decimal mark and no thousands separator";

const char *gr_rounding_name(enum gr_rounding rounding)
{
	return rounding == GR_ROUND_HALF_EVEN ? "half-even" : "half-up";
}

void gr_dec_init(struct gr_dec *dec)
{
	mpz_init(dec->coef);
	dec->scale = 0;
}

void gr_dec_clear(struct gr_dec *dec)
{
	mpz_clear(dec->coef);
}

/* Length of a group mark at p (multi-byte for the Unicode variants), or 0. */
static size_t group_mark_at(const char *p, char mark)
{
	if (mark == 0)
		return 0;
	if (*p == mark)
		return 1;
	/* strncmp stops at the end of the string; memcmp would read past it. */
	if (mark == ' ') {
		if (strncmp(p, "\xc2\xa0", 2) == 0)
			return 2;
		if (strncmp(p, "\xe2\x80\xaf", 3) == 0)
			return 3;
	}
	if (mark == '\'' && strncmp(p, "\xe2\x80\x99", 3) == 0)
		return 3;
	return 0;
}

static const char *const too_many_decimals[GR_DEC_MAX_SCALE + 1] = {
	"no decimals", "at most 1 decimal", "at most 2 decimals",
	"at most 3 decimals", "at most 4 decimals", "at most 5 decimals",
	"at most 6 decimals", "at most 7 decimals", "at most 8 decimals",
	"at most 9 decimals", "at most 10 decimals", "at most 11 decimals",
	"at most 12 decimals",
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

const char *gr_dec_parse(struct gr_dec *out, const char *text,
                         struct gr_number_style style, int max_scale)
{
	if (max_scale > GR_DEC_MAX_SCALE)
		max_scale = GR_DEC_MAX_SCALE;
	const char *p = text;
	while (*p == ' ')
		p++;
	const char *end = p + strlen(p);
	while (end > p && end[-1] == ' ')
		end--;
	if (p == end)
		return "a number, found nothing";

	bool negative = false;
	if (*p == '(') {
		if (end[-1] != ')')
			return "a closing ')' after a number in parentheses";
		negative = true;
		p++;
		end--;
	} else if (*p == '-' || *p == '+') {
		negative = *p == '-';
		p++;
	} else if (end - p > 1 && end[-1] == '-') {
		negative = true;
		end--;
	}
	if (p == end)
		return "digits after the sign";

	/* Collect digits into a small buffer: integer part, then fraction. */
	char digits[GR_DEC_MAX_INT_DIGITS + GR_DEC_MAX_SCALE + 1];
	size_t ndigits = 0;
	size_t int_digits = 0;
	int scale = 0;
	bool seen_mark = false;
	bool last_was_digit = false;
	while (p < end) {
		size_t glen;
		if (is_digit(*p)) {
			if (seen_mark) {
				if (scale >= max_scale)
					return too_many_decimals[max_scale];
				scale++;
			} else {
				if (++int_digits > GR_DEC_MAX_INT_DIGITS)
					return "at most 18 digits before the decimal mark";
			}
			digits[ndigits++] = *p++;
			last_was_digit = true;
		} else if (*p == style.decimal_mark && !seen_mark) {
			if (!last_was_digit)
				return "a digit before the decimal mark";
			seen_mark = true;
			last_was_digit = false;
			p++;
		} else if (!seen_mark && (glen = group_mark_at(p, style.group_mark))) {
			if (!last_was_digit || p + glen >= end || !is_digit(p[glen]))
				return "a group mark only between digits";
			last_was_digit = false;
			p += glen;
		} else if (*p == '.' || *p == ',') {
			if (style.decimal_mark == '.' && *p == ',' && !style.group_mark)
				return GR_DEC_NO_GROUPING_POINT;
			if (style.decimal_mark == ',' && *p == '.' && !style.group_mark)
				return GR_DEC_NO_GROUPING_COMMA;
			if (*p == style.decimal_mark)
				return "one decimal mark";
			return style.decimal_mark == ','
			       ? "',' as the decimal mark"
			       : "'.' as the decimal mark";
		} else if (*p == '-' || *p == '+' || *p == '(' || *p == ')') {
			return "one sign: a leading '-', parentheses or a trailing '-'";
		} else {
			return "digits only: no letters, currency signs, spaces or "
			       "exponents";
		}
	}
	if (!last_was_digit)
		return seen_mark ? "digits after the decimal mark"
		                 : "digits";
	digits[ndigits] = '\0';
	mpz_set_str(out->coef, digits, 10);
	if (negative)
		mpz_neg(out->coef, out->coef);
	out->scale = scale;
	return NULL;
}

void gr_div_round(mpz_t q, const mpz_t n, const mpz_t d,
                  enum gr_rounding rounding)
{
	/* Work in temporaries: q may be n or d, as GMP allows. */
	mpz_t quot, r, twice;
	mpz_inits(quot, r, twice, NULL);
	/* Truncate toward zero, then decide on the remainder's size. */
	mpz_tdiv_qr(quot, r, n, d);
	if (mpz_sgn(r) != 0) {
		mpz_mul_2exp(twice, r, 1);
		int cmp = mpz_cmpabs(twice, d);
		bool away = cmp > 0 ||
			(cmp == 0 && (rounding == GR_ROUND_HALF_UP || mpz_odd_p(quot)));
		if (away) {
			/* Away from zero: the sign of the exact quotient. */
			if ((mpz_sgn(n) < 0) != (mpz_sgn(d) < 0))
				mpz_sub_ui(quot, quot, 1);
			else
				mpz_add_ui(quot, quot, 1);
		}
	}
	mpz_swap(q, quot);
	mpz_clears(quot, r, twice, NULL);
}

gr_i128 gr_div_round_i128(gr_i128 n, gr_i128 d, enum gr_rounding rounding)
{
	/* C division truncates toward zero, as mpz_tdiv_qr does. */
	gr_i128 q = n / d, r = n % d;
	if (r != 0) {
		gr_i128 twice = (r < 0 ? -r : r) * 2;   /* < 2d: no overflow */
		bool away = twice > d ||
			(twice == d && (rounding == GR_ROUND_HALF_UP || (q & 1) != 0));
		if (away)
			q += n < 0 ? -1 : 1;
	}
	return q;
}

void gr_mpz_set_i128(mpz_t out, gr_i128 v)
{
	gr_u128 m = v < 0 ? -(gr_u128)v : (gr_u128)v;
	mpz_set_ui(out, (unsigned long)(uint64_t)(m >> 64));
	mpz_mul_2exp(out, out, 64);
	mpz_add_ui(out, out, (unsigned long)(uint64_t)m);
	if (v < 0)
		mpz_neg(out, out);
}

void gr_dec_to_cents(mpz_t cents, const struct gr_dec *dec,
                     enum gr_rounding rounding, bool *inexact)
{
	if (dec->scale <= 2) {
		mpz_t f;
		mpz_init(f);
		mpz_ui_pow_ui(f, 10, (unsigned long)(2 - dec->scale));
		mpz_mul(cents, dec->coef, f);
		mpz_clear(f);
		if (inexact)
			*inexact = false;
		return;
	}
	mpz_t d, r;
	mpz_inits(d, r, NULL);
	mpz_ui_pow_ui(d, 10, (unsigned long)(dec->scale - 2));
	mpz_tdiv_r(r, dec->coef, d);
	if (inexact)
		*inexact = mpz_sgn(r) != 0;
	gr_div_round(cents, dec->coef, d, rounding);
	mpz_clears(d, r, NULL);
}

size_t gr_dec_significant_digits(const struct gr_dec *dec)
{
	if (mpz_sgn(dec->coef) == 0)
		return 0;
	char buf[GR_MONEY_BUF];
	const char *s = gr_dec_str(buf, dec);
	size_t n = 0;
	bool leading = true;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (leading && *s == '0')
			continue;
		leading = false;
		n++;
	}
	return n;
}

void gr_dec_to_mpq(mpq_t out, const struct gr_dec *dec)
{
	mpz_set(mpq_numref(out), dec->coef);
	mpz_ui_pow_ui(mpq_denref(out), 10, (unsigned long)dec->scale);
	mpq_canonicalize(out);
}

/* Writes |coef| with `scale` decimals, optionally grouped, with a sign. */
static char *format_scaled(char *buf, size_t size, const mpz_t coef, int scale,
                           bool grouped)
{
	char digits[GR_MONEY_BUF * 2];
	if (mpz_sizeinbase(coef, 10) + 2 >= sizeof(digits)) {
		snprintf(buf, size, "(too large)");
		return buf;
	}
	mpz_get_str(digits, 10, coef);
	const char *d = digits;
	bool negative = *d == '-';
	if (negative)
		d++;
	size_t len = strlen(d);
	/* Pad with leading zeros so that there is one integer digit. */
	char padded[GR_MONEY_BUF * 2];
	size_t pad = len <= (size_t)scale ? (size_t)scale + 1 - len : 0;
	memset(padded, '0', pad);
	memcpy(padded + pad, d, len + 1);
	len += pad;
	size_t int_len = len - (size_t)scale;

	size_t o = 0;
	if (negative && o + 1 < size)
		buf[o++] = '-';
	for (size_t i = 0; i < int_len && o + 2 < size; i++) {
		if (grouped && i > 0 && (int_len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = padded[i];
	}
	if (scale > 0 && o + 1 < size) {
		buf[o++] = '.';
		for (size_t i = int_len; i < len && o + 1 < size; i++)
			buf[o++] = padded[i];
	}
	buf[o] = '\0';
	return buf;
}

char *gr_cents_str(char buf[GR_MONEY_BUF], const mpz_t cents)
{
	return format_scaled(buf, GR_MONEY_BUF, cents, 2, false);
}

char *gr_cents_grouped(char buf[GR_MONEY_BUF], const mpz_t cents)
{
	return format_scaled(buf, GR_MONEY_BUF, cents, 2, true);
}

char *gr_dec_str(char buf[GR_MONEY_BUF], const struct gr_dec *dec)
{
	return format_scaled(buf, GR_MONEY_BUF, dec->coef, dec->scale, false);
}

char *gr_mpq_str(char buf[GR_MONEY_BUF], const mpq_t value, int places)
{
	mpz_t scaled, num;
	mpz_inits(scaled, num, NULL);
	mpz_ui_pow_ui(scaled, 10, (unsigned long)places);
	mpz_mul(num, mpq_numref(value), scaled);
	gr_div_round(scaled, num, mpq_denref(value), GR_ROUND_HALF_UP);
	format_scaled(buf, GR_MONEY_BUF, scaled, places, false);
	mpz_clears(scaled, num, NULL);
	return buf;
}
