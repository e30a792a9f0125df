/*
 * fuzz_amount: gr_dec_parse under every number style, checked against an
 * independent reading of the grammar in docs/formats.md section 4, and the
 * rounding to cents checked against exact rationals.
 *
 * Input: byte 0 chooses the style and the decimals allowed, the rest is
 * the text (up to its first NUL).
 *   bit 0      decimal mark: '.' or ','
 *   bits 1-3   group mark: none, '.', ',', ' ', '\'' (one that differs
 *              from the decimal mark; grant.ini refuses the same mark)
 *   byte 0 / 16 % 13: decimals allowed (0..12)
 */
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "grantrec/decimal.h"

struct ref_number {
	bool ok;
	bool negative;
	char digits[64];  /* integer digits then decimals, no marks */
	int scale;
};

/* Length of a group mark token at s[i..end), or 0. */
static size_t ref_group(const unsigned char *s, size_t i, size_t end,
                        char mark)
{
	if (!mark)
		return 0;
	if (s[i] == (unsigned char)mark)
		return 1;
	if (mark == ' ') {
		if (end - i >= 2 && s[i] == 0xc2 && s[i + 1] == 0xa0)
			return 2;
		if (end - i >= 3 && s[i] == 0xe2 && s[i + 1] == 0x80 &&
		    s[i + 2] == 0xaf)
			return 3;
	}
	if (mark == '\'' && end - i >= 3 && s[i] == 0xe2 && s[i + 1] == 0x80 &&
	    s[i + 2] == 0x99)
		return 3;
	return 0;
}

static bool ref_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* The grammar, read literally:
 *   spaces? sign-form spaces?   where sign-form is
 *   [-+]? body  |  '(' body ')'  |  body '-'
 *   body = digit+ (group digit+)* (decimal digit+)?                    */
static struct ref_number ref_parse(const char *text,
                                   struct gr_number_style style,
                                   int max_scale)
{
	struct ref_number r = {0};
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, end = strlen(text);
	while (i < end && s[i] == ' ')
		i++;
	while (end > i && s[end - 1] == ' ')
		end--;
	if (i == end)
		return r;
	if (s[i] == '(') {
		if (end - i < 3 || s[end - 1] != ')')
			return r;
		r.negative = true;
		i++;
		end--;
	} else if (s[i] == '-' || s[i] == '+') {
		r.negative = s[i] == '-';
		i++;
	} else if (s[end - 1] == '-') {
		r.negative = true;
		end--;
	}
	size_t nd = 0;
	int int_digits = 0;
	/* integer part: digit runs joined by single group marks */
	for (;;) {
		if (i >= end || !ref_digit(s[i]))
			return r;
		while (i < end && ref_digit(s[i])) {
			if (++int_digits > GR_DEC_MAX_INT_DIGITS)
				return r;
			r.digits[nd++] = (char)s[i++];
		}
		size_t g = i < end ? ref_group(s, i, end, style.group_mark) : 0;
		if (g && i + g < end && ref_digit(s[i + g])) {
			i += g;
			continue;
		}
		break;
	}
	if (i < end && s[i] == (unsigned char)style.decimal_mark) {
		i++;
		if (i >= end || !ref_digit(s[i]))
			return r;
		while (i < end && ref_digit(s[i])) {
			if (++r.scale > max_scale)
				return r;
			r.digits[nd++] = (char)s[i++];
		}
	}
	if (i != end)
		return r;
	r.digits[nd] = '\0';
	r.ok = true;
	return r;
}

static const char group_marks[] = {0, '.', ',', ' ', '\''};

/* `text` must be [-]digits.dd (grouped: digits in groups of three joined
 * by ',') holding exactly the digits of `digits` (at least three, the last
 * two the cents). */
static void check_money_text(const char *text, const char *digits,
                             bool negative, bool grouped)
{
	const char *p = text;
	if (negative)
		FZ_CHECK(*p++ == '-', "'%s': no sign", text);
	size_t n = strlen(digits), int_len = n - 2, k = 0;
	for (size_t i = 0; i < int_len; i++) {
		if (grouped && i > 0 && (int_len - i) % 3 == 0)
			FZ_CHECK(p[k++] == ',', "'%s': grouping", text);
		FZ_CHECK(p[k++] == digits[i], "'%s' for %s", text, digits);
	}
	FZ_CHECK(p[k] == '.' && p[k + 1] == digits[n - 2] &&
	         p[k + 2] == digits[n - 1] && p[k + 3] == '\0',
	         "'%s' for %s", text, digits);
}

static void check_cents(const struct gr_dec *dec, enum gr_rounding rounding)
{
	/* Exact: value * 100, then the rule by hand on floor and remainder. */
	mpq_t v;
	mpq_init(v);
	gr_dec_to_mpq(v, dec);
	mpz_t num, den, fl, rem, twice, want, got;
	mpz_inits(num, den, fl, rem, twice, want, got, NULL);
	mpz_mul_ui(num, mpq_numref(v), 100);
	mpz_set(den, mpq_denref(v));
	mpz_fdiv_qr(fl, rem, num, den);      /* num = fl*den + rem, 0 <= rem < den */
	mpz_mul_2exp(twice, rem, 1);
	int c = mpz_cmp(twice, den);
	mpz_set(want, fl);
	if (c > 0) {
		mpz_add_ui(want, fl, 1);
	} else if (c == 0) {
		if (rounding == GR_ROUND_HALF_EVEN)
			mpz_add_ui(want, fl, mpz_odd_p(fl) ? 1 : 0);
		else /* half away from zero: up for positive, down (fl) for negative */
			mpz_add_ui(want, fl, mpz_sgn(num) > 0 ? 1 : 0);
	}
	bool inexact = false;
	gr_dec_to_cents(got, dec, rounding, &inexact);
	FZ_CHECK(mpz_cmp(got, want) == 0, "gr_dec_to_cents(%s): got %s, want %s",
	         gr_rounding_name(rounding), mpz_get_str(NULL, 10, got),
	         mpz_get_str(NULL, 10, want));
	FZ_CHECK(inexact == (mpz_sgn(rem) != 0), "gr_dec_to_cents: inexact flag");
	/* The money texts say exactly these cents: "-1234.56" and
	 * "-1,234.56" (sums can be longer than any one amount, so this is
	 * read here, not with gr_dec_parse and its 18-digit limit). */
	char buf[GR_MONEY_BUF], grouped[GR_MONEY_BUF];
	gr_cents_str(buf, got);
	gr_cents_grouped(grouped, got);
	char *want_digits = mpz_get_str(NULL, 10, got);
	const char *w = want_digits[0] == '-' ? want_digits + 1 : want_digits;
	char padded[GR_MONEY_BUF * 2];
	snprintf(padded, sizeof(padded), "%s%s", strlen(w) < 3
	         ? (strlen(w) == 1 ? "00" : "0") : "", w);
	check_money_text(buf, padded, mpz_sgn(got) < 0, false);
	check_money_text(grouped, padded, mpz_sgn(got) < 0, true);
	free(want_digits);
	mpz_clears(num, den, fl, rem, twice, want, got, NULL);
	mpq_clear(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct gr_number_style style;
	style.decimal_mark = (data[0] & 1) ? ',' : '.';
	style.group_mark = group_marks[((data[0] >> 1) & 7) % 5];
	if (style.group_mark == style.decimal_mark)
		style.group_mark = 0;
	int max_scale = (data[0] >> 4) % (GR_DEC_MAX_SCALE + 1);
	char *text = fz_strndup(data + 1, size - 1);

	struct gr_dec dec;
	gr_dec_init(&dec);
	const char *why = gr_dec_parse(&dec, text, style, max_scale);
	struct ref_number ref = ref_parse(text, style, max_scale);
	FZ_CHECK((why == NULL) == ref.ok,
	         "'%s' (decimal '%c', group '%c', %d decimals): grantrec %s, "
	         "the grammar %s", text, style.decimal_mark,
	         style.group_mark ? style.group_mark : '0', max_scale,
	         why ? why : "accepts", ref.ok ? "accepts" : "refuses");
	if (why == NULL) {
		mpz_t want;
		mpz_init_set_str(want, ref.digits, 10);
		if (ref.negative)
			mpz_neg(want, want);
		FZ_CHECK(dec.scale == ref.scale && mpz_cmp(dec.coef, want) == 0,
		         "'%s' read as %s scale %d, the grammar gives %s%s scale %d",
		         text, mpz_get_str(NULL, 10, dec.coef), dec.scale,
		         ref.negative ? "-" : "", ref.digits, ref.scale);
		mpz_clear(want);
		/* Its own text reads back to the same number and scale. */
		char buf[GR_MONEY_BUF];
		gr_dec_str(buf, &dec);
		struct gr_dec back;
		gr_dec_init(&back);
		FZ_CHECK(gr_dec_parse(&back, buf, GR_NUMBER_PLAIN, max_scale) == NULL &&
		         back.scale == dec.scale && mpz_cmp(back.coef, dec.coef) == 0,
		         "gr_dec_str of '%s' gave '%s', which does not read back",
		         text, buf);
		gr_dec_clear(&back);
		check_cents(&dec, GR_ROUND_HALF_UP);
		check_cents(&dec, GR_ROUND_HALF_EVEN);
	} else {
		FZ_CHECK(*why != '\0', "an empty reason");
	}
	gr_dec_clear(&dec);
	free(text);
	return 0;
}
