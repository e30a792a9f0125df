/*
 * check_xlsx_text.c: the text rules of the workbook writer (xlsx_text.c):
 * what a cell may hold, how long, how SUMIFS criteria are escaped, and
 * which labels criteria cannot tell apart.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "report/xlsx_writer.h"

static char *clean(const char *in, size_t max, struct xw_clean *c)
{
	ck_assert(xw_clean_text(c, in, max));
	return c->text;
}

/* ---- cleaning --------------------------------------------------------------- */

static const struct {
	const char *in, *out;
	size_t replaced;
} clean_cases[] = {
	{"plain", "plain", 0},
	{"", "", 0},
	{"=1+1", "=1+1", 0},                         /* text stays text */
	{"tab\tand\nline", "tab\tand\nline", 0},     /* allowed in XML */
	{"a\x01" "b", "a\xe2\x90\x81" "b", 1},        /* U+2401 */
	{"\x1f", "\xe2\x90\x9f", 1},                 /* U+241F */
	{"a\r\nb", "a\nb", 0},                       /* CR LF: one line feed */
	{"a\rb", "a\nb", 0},
	{"caf\xc3\xa9", "caf\xc3\xa9", 0},           /* UTF-8 kept */
	{"bad\xff", "bad\xef\xbf\xbd", 1},           /* not UTF-8: U+FFFD */
	{"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd", 2}, /* overlong */
	{"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 3}, /* surrogate */
	{"x\xef\xbf\xbe", "x\xef\xbf\xbd", 1},       /* U+FFFE */
	{"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", 0}, /* astral: kept */
};

START_TEST(test_clean)
{
	struct xw_clean c;
	const char *got = clean(clean_cases[_i].in, XW_CELL_UNITS, &c);
	ck_assert_str_eq(got, clean_cases[_i].out);
	ck_assert_uint_eq(c.replaced, clean_cases[_i].replaced);
	ck_assert(!c.cut);
	xw_clean_release(&c);
}
END_TEST

START_TEST(test_cut)
{
	struct xw_clean c;
	/* 10 units allowed: 9 characters and the ellipsis. */
	ck_assert_str_eq(clean("abcdefghijKL", 10, &c), "abcdefghi\xe2\x80\xa6");
	ck_assert(c.cut);
	ck_assert_uint_eq(c.units, 12);
	xw_clean_release(&c);
	ck_assert_str_eq(clean("abcdefghij", 10, &c), "abcdefghij");
	ck_assert(!c.cut);
	xw_clean_release(&c);
	/* An astral character counts two units and is never split. */
	ck_assert_str_eq(clean("abcdefgh\xf0\x9f\x98\x80z", 10, &c),
	                 "abcdefgh\xe2\x80\xa6");
	ck_assert_uint_eq(c.units, 11);
	xw_clean_release(&c);
	/* A whole cell's worth. */
	size_t n = 40000;
	char *big = malloc(n + 1);
	memset(big, 'y', n);
	big[n] = '\0';
	clean(big, XW_CELL_UNITS, &c);
	ck_assert(c.cut);
	ck_assert_uint_eq(xw_utf16_units(c.text), XW_CELL_UNITS);
	xw_clean_release(&c);
	free(big);
}
END_TEST

START_TEST(test_x_escape)
{
	struct xw_clean c;
	clean("code _x0041_ and _X00ff_ but not _x00G1_", XW_CELL_UNITS, &c);
	ck_assert(c.x_escape);
	char *cell = xw_cell_text(&c);
	ck_assert_str_eq(cell, "code _x005F_x0041_ and _x005F_X00ff_ but not "
	                       "_x00G1_");
	free(cell);
	xw_clean_release(&c);
	clean("no escape here_x12_", XW_CELL_UNITS, &c);
	ck_assert(!c.x_escape);
	ck_assert_ptr_eq(xw_cell_text(&c), c.text);
	xw_clean_release(&c);
}
END_TEST

/* ---- criteria ----------------------------------------------------------------- */

static const struct {
	const char *label, *criterion;
} criterion_cases[] = {
	{"Audit", "\"=Audit\""},
	{"", "\"=\""},                         /* blank cells */
	{"Travel*", "\"=Travel~*\""},
	{"Who?", "\"=Who~?\""},
	{"a~b", "\"=a~~b\""},
	{"=Sum", "\"==Sum\""},                 /* an operator stays text */
	{"<Costs>", "\"=<Costs>\""},
	{"say \"hi\"", "\"=say \"\"hi\"\"\""},
};

START_TEST(test_criterion)
{
	struct xw_buf b = {0};
	ck_assert(xw_add_criterion(&b, criterion_cases[_i].label));
	ck_assert_str_eq(b.s, criterion_cases[_i].criterion);
	xw_buf_release(&b);
}
END_TEST

START_TEST(test_criterion_limits)
{
	struct xw_buf b = {0};
	char label[300];
	/* 254 characters + "=" = 255: the most a criterion may be. */
	memset(label, 'a', 254);
	label[254] = '\0';
	ck_assert(xw_add_criterion(&b, label));
	xw_buf_reset(&b);
	label[254] = 'a';
	label[255] = '\0';
	ck_assert(!xw_add_criterion(&b, label));
	ck_assert_uint_eq(b.len, 0);
	/* Escapes count: 127 stars need 254 characters, + "=". */
	memset(label, '*', 127);
	label[127] = '\0';
	ck_assert(xw_add_criterion(&b, label));
	xw_buf_reset(&b);
	memset(label, '*', 128);
	label[128] = '\0';
	ck_assert(!xw_add_criterion(&b, label));
	/* An OOXML escape cannot go into a formula's text. */
	ck_assert(!xw_add_criterion(&b, "a _x0041_ b"));
	xw_buf_release(&b);
}
END_TEST

START_TEST(test_fold)
{
	static const char *const same[][2] = {
		{"Audit", "aUDIT"},
		{"\xc3\x89" "cole", "\xc3\xa9" "COLE"},                /* École */
		{"\xc5\x81\xc3\xb3\x64\xc5\xba", "\xc5\x82\xc3\x93\x44\xc5\xb9"}, /* Łódź */
		{"\xd0\x9c\xd0\xb8\xd1\x80", "\xd0\xbc\xd0\x98\xd0\xa0"}, /* Мир */
		{"\xce\x91", "\xce\xb1"},                             /* Alpha */
	};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		char *a = xw_fold_key(same[i][0]), *b = xw_fold_key(same[i][1]);
		ck_assert_msg(strcmp(a, b) == 0, "'%s' and '%s' fold apart",
		              same[i][0], same[i][1]);
		free(a);
		free(b);
	}
	char *a = xw_fold_key("Peru"), *b = xw_fold_key("Per\xc3\xba");
	ck_assert_str_ne(a, b);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_buf)
{
	struct xw_buf b = {0};
	for (int i = 0; i < 1000; i++)
		xw_buf_addf(&b, "%d,", i);
	ck_assert(!b.oom);
	ck_assert_uint_eq(b.len, strlen(b.s));
	ck_assert(strncmp(b.s, "0,1,2,", 6) == 0);
	xw_buf_reset(&b);
	ck_assert_str_eq(b.s, "");
	xw_buf_release(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("xlsx_text");
	TCase *tc = tcase_create("text");
	tcase_add_loop_test(tc, test_clean, 0,
	                    (int)(sizeof(clean_cases) / sizeof(clean_cases[0])));
	tcase_add_test(tc, test_cut);
	tcase_add_test(tc, test_x_escape);
	tcase_add_loop_test(tc, test_criterion, 0,
	                    (int)(sizeof(criterion_cases) /
	                          sizeof(criterion_cases[0])));
	tcase_add_test(tc, test_criterion_limits);
	tcase_add_test(tc, test_fold);
	tcase_add_test(tc, test_buf);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
