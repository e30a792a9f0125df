/*
 * unit.h: helpers shared by the Check runners under tests/unit/.
 *
 * Every runner gets one scratch directory (created by ut_main before the
 * suite runs, removed afterwards); a test that needs files makes its own
 * subdirectory with ut_mkdir() and writes fixtures into it, so tests never
 * see each other's files and nothing is left behind.
 */
#ifndef GRANTREC_UNIT_H
#define GRANTREC_UNIT_H

#include <check.h>
#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "grantrec/diag.h"

/* A new, empty directory under the runner's scratch directory. */
char *ut_mkdir(const char *tag);
/* Writes `len` bytes to dir/name and returns the path (malloc'd). */
char *ut_write_bytes(const char *dir, const char *name, const void *data,
                     size_t len);
/* Writes a NUL-terminated text to dir/name and returns the path. */
char *ut_write(const char *dir, const char *name, const char *text);
/* "dir/name", malloc'd. */
char *ut_path(const char *dir, const char *name);
void ut_rmtree(const char *path);

/* The first diagnostic on `line` (any line when line < 0) whose message
 * contains `fragment` (any message when fragment is NULL or ""). */
const struct gr_diag *ut_find_diag(const struct gr_diags *diags, long line,
                                   const char *fragment);
/* All diagnostics as one text, for failure messages (a static buffer,
 * overwritten by the next call). */
const char *ut_diags_text(const struct gr_diags *diags);

/* Decimal text of an integer, in one of a few rotating static buffers. */
const char *ut_z(const mpz_t z);
const char *ut_q(const mpq_t q);

#define ut_assert_z(z, expected)                                             \
	do {                                                                     \
		mpz_t ut_e_;                                                         \
		mpz_init_set_str(ut_e_, (expected), 10);                             \
		int ut_c_ = mpz_cmp((z), ut_e_);                                     \
		mpz_clear(ut_e_);                                                    \
		ck_assert_msg(ut_c_ == 0, "%s: expected %s, got %s", #z,             \
		              (expected), ut_z(z));                                  \
	} while (0)

#define ut_assert_q(q, expected)                                             \
	do {                                                                     \
		mpq_t ut_e_;                                                         \
		mpq_init(ut_e_);                                                     \
		mpq_set_str(ut_e_, (expected), 10);                                  \
		mpq_canonicalize(ut_e_);                                             \
		int ut_c_ = mpq_equal((q), ut_e_);                                   \
		mpq_clear(ut_e_);                                                    \
		ck_assert_msg(ut_c_, "%s: expected %s, got %s", #q, (expected),      \
		              ut_q(q));                                              \
	} while (0)

/* Creates the scratch directory, runs the suite (honouring CK_FORK and the
 * other Check environment variables), removes the directory and returns
 * the process exit status. */
int ut_main(Suite *suite);

#endif
