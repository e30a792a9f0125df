/*
 * check_util.c: path joining and the small string helpers (util.h), and
 * interned strings (strset.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/strset.h"
#include "unit.h"
#include "base/util.h"

/* ---- gr_path_join ------------------------------------------------------------ */

static const struct { const char *dir, *rel, *out; } join_cases[] = {
	{"a/b", "../c", "a/c"},
	{".", "x", "x"},
	{".", "./x", "x"},
	{".", "../x", "../x"},
	{"a", "/abs", "/abs"},            /* an absolute path is kept */
	{"a", "/abs/./b/../c", "/abs/c"},
	{"/abs", "x", "/abs/x"},
	{"/", "x", "/x"},
	{"a", "../../x", "../x"},
	{"a", "..", "."},
	{"a/b", "..", "a"},
	{"dir", "../fx-rates/daily.csv", "fx-rates/daily.csv"},
	{"ledgers", "budget.csv", "ledgers/budget.csv"},
	{"a/b", "./c", "a/b/c"},
	{"a", "b/../c", "a/c"},
	{"a", "b/./c", "a/b/c"},
	{"a//b", "c", "a/b/c"},
	{"..", "x", "../x"},
	{"../..", "../x", "../../../x"},
	{"../a", "../../x", "../../x"},
	{"/a/b", "../../c", "/c"},
};

START_TEST(test_path_join)
{
	char *out = gr_path_join(join_cases[_i].dir, join_cases[_i].rel);
	ck_assert_ptr_nonnull(out);
	char got[256];
	snprintf(got, sizeof(got), "%s", out);
	free(out);
	ck_assert_msg(strcmp(got, join_cases[_i].out) == 0,
	              "join('%s', '%s') = '%s', expected '%s'", join_cases[_i].dir,
	              join_cases[_i].rel, got, join_cases[_i].out);
}
END_TEST

START_TEST(test_path_dir)
{
	static const struct { const char *path, *dir; } cases[] = {
		{"dir/grant.ini", "dir"}, {"grant.ini", "."}, {"/grant.ini", "/"},
		{"a/b/c.ini", "a/b"}, {"/x/y.ini", "/x"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *d = gr_path_dir(cases[i].path);
		ck_assert_ptr_nonnull(d);
		ck_assert_str_eq(d, cases[i].dir);
		free(d);
	}
}
END_TEST

/* ---- strings -------------------------------------------------------------------- */

START_TEST(test_trim)
{
	static const struct { const char *in, *out; } cases[] = {
		{"  a b \t", "a b"}, {"a", "a"}, {"", ""}, {" \t ", ""},
		{"\tx\t", "x"}, {"x ", "x"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *d = gr_trim_dup(cases[i].in);
		ck_assert_ptr_nonnull(d);
		ck_assert_str_eq(d, cases[i].out);
		free(d);
		size_t n = 99;
		const char *t = gr_trim(cases[i].in, &n);
		ck_assert_uint_eq(n, strlen(cases[i].out));
		ck_assert(strncmp(t, cases[i].out, n) == 0);
	}
}
END_TEST

START_TEST(test_strdup_asprintf)
{
	char *s = gr_strndup("abcdef", 3);
	ck_assert_str_eq(s, "abc");
	free(s);
	s = gr_strdup("");
	ck_assert_str_eq(s, "");
	free(s);
	s = gr_asprintf("%s:%ld: %d%%", "f.csv", 12L, 5);
	ck_assert_str_eq(s, "f.csv:12: 5%");
	free(s);
}
END_TEST

START_TEST(test_grow)
{
	int *items = NULL;
	size_t cap = 0;
	ck_assert(gr_grow((void **)&items, &cap, 1, sizeof(*items)));
	ck_assert_uint_ge(cap, 1);
	for (int i = 0; i < 1000; i++) {
		ck_assert(gr_grow((void **)&items, &cap, (size_t)i + 1, sizeof(*items)));
		ck_assert_uint_ge(cap, (size_t)i + 1);
		items[i] = i;
	}
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(items[i], i);
	size_t before = cap;
	ck_assert(gr_grow((void **)&items, &cap, 10, sizeof(*items)));
	ck_assert_uint_eq(cap, before); /* never shrinks */
	free(items);
}
END_TEST

/* ---- strset ---------------------------------------------------------------------- */

START_TEST(test_strset_basic)
{
	struct gr_strset set = {0};
	ck_assert_int_eq(gr_strset_find(&set, "a", 1), -1); /* empty set */
	ck_assert_int_eq(gr_strset_intern(&set, "Staff", 5), 0);
	ck_assert_int_eq(gr_strset_intern(&set, "Travel", 6), 1);
	ck_assert_int_eq(gr_strset_intern(&set, "Staff", 5), 0);
	ck_assert_int_eq(gr_strset_intern(&set, "", 0), 2);
	ck_assert_int_eq(gr_strset_intern(&set, "", 0), 2);
	/* by length, not up to a NUL: "Travel" cut to "Tra" is new */
	ck_assert_int_eq(gr_strset_intern(&set, "Travel", 3), 3);
	ck_assert_str_eq(set.strings[3], "Tra");
	ck_assert_int_eq(gr_strset_find(&set, "Tra", 3), 3);
	ck_assert_int_eq(gr_strset_find(&set, "Trav", 4), -1);
	ck_assert_int_eq(gr_strset_find(&set, "staff", 5), -1); /* case matters */
	ck_assert_uint_eq(set.count, 4);
	/* order of first appearance */
	ck_assert_str_eq(set.strings[0], "Staff");
	ck_assert_str_eq(set.strings[1], "Travel");
	ck_assert_str_eq(set.strings[2], "");
	gr_strset_release(&set);
	ck_assert_uint_eq(set.count, 0);
	ck_assert_ptr_null(set.strings);
	/* usable again after release */
	ck_assert_int_eq(gr_strset_intern(&set, "x", 1), 0);
	gr_strset_release(&set);
}
END_TEST

/* Many strings: ids stay those of first appearance across every rehash,
 * and stored copies stay valid. */
START_TEST(test_strset_many)
{
	struct gr_strset set = {0};
	enum { N = 5000 };
	char buf[32];
	for (int i = 0; i < N; i++) {
		int n = snprintf(buf, sizeof(buf), "line-%d", i);
		ck_assert_int_eq(gr_strset_intern(&set, buf, (size_t)n), i);
	}
	const char *first = set.strings[0];
	for (int i = N - 1; i >= 0; i--) {
		int n = snprintf(buf, sizeof(buf), "line-%d", i);
		ck_assert_int_eq(gr_strset_find(&set, buf, (size_t)n), i);
		ck_assert_int_eq(gr_strset_intern(&set, buf, (size_t)n), i);
		ck_assert_str_eq(set.strings[i], buf);
	}
	ck_assert_uint_eq(set.count, N);
	ck_assert_str_eq(first, "line-0");
	ck_assert_int_eq(gr_strset_find(&set, "line-5000", 9), -1);
	gr_strset_release(&set);
}
END_TEST

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("paths");
	tcase_add_loop_test(tc, test_path_join, 0,
	                    (int)(sizeof(join_cases) / sizeof(join_cases[0])));
	tcase_add_test(tc, test_path_dir);
	suite_add_tcase(s, tc);
	tc = tcase_create("strings");
	tcase_add_test(tc, test_trim);
	tcase_add_test(tc, test_strdup_asprintf);
	tcase_add_test(tc, test_grow);
	suite_add_tcase(s, tc);
	tc = tcase_create("strset");
	tcase_add_test(tc, test_strset_basic);
	tcase_add_test(tc, test_strset_many);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_main(util_suite());
}
