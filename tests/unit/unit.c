#include "unit.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *scratch;

char *ut_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	ck_assert_ptr_nonnull(p);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

char *ut_mkdir(const char *tag)
{
	ck_assert_msg(scratch != NULL, "no scratch directory (run via ut_main)");
	char name[200];
	snprintf(name, sizeof(name), "%s-XXXXXX", tag);
	char *templ = ut_path(scratch, name);
	ck_assert_msg(mkdtemp(templ) != NULL, "mkdtemp %s: %s", templ,
	              strerror(errno));
	return templ;
}

char *ut_write_bytes(const char *dir, const char *name, const void *data,
                     size_t len)
{
	char *path = ut_path(dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot write %s: %s", path, strerror(errno));
	ck_assert_msg(fwrite(data, 1, len, f) == len, "short write to %s", path);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

char *ut_write(const char *dir, const char *name, const char *text)
{
	return ut_write_bytes(dir, name, text, strlen(text));
}

void ut_rmtree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		if (d) {
			struct dirent *e;
			while ((e = readdir(d)) != NULL) {
				if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
					continue;
				size_t n = strlen(path) + strlen(e->d_name) + 2;
				char *child = malloc(n);
				if (!child)
					break;
				snprintf(child, n, "%s/%s", path, e->d_name);
				ut_rmtree(child);
				free(child);
			}
			closedir(d);
		}
		rmdir(path);
	} else {
		unlink(path);
	}
}

const struct gr_diag *ut_find_diag(const struct gr_diags *diags, long line,
                                   const char *fragment)
{
	for (size_t i = 0; i < diags->count; i++) {
		const struct gr_diag *d = &diags->items[i];
		if (line >= 0 && d->line != line)
			continue;
		if (fragment && *fragment && !strstr(d->message, fragment))
			continue;
		return d;
	}
	return NULL;
}

const char *ut_diags_text(const struct gr_diags *diags)
{
	static char text[16384];
	size_t len = 0;
	text[0] = '\0';
	for (size_t i = 0; i < diags->count && len + 1 < sizeof(text); i++) {
		const struct gr_diag *d = &diags->items[i];
		int n = snprintf(text + len, sizeof(text) - len, "\n  [%s:%ld] %s",
		                 d->file ? d->file : "-", d->line, d->message);
		if (n < 0)
			break;
		len += (size_t)n;
	}
	if (diags->count == 0)
		snprintf(text, sizeof(text), " (no diagnostics)");
	return text;
}

static char zbufs[8][512];
static int znext;

const char *ut_z(const mpz_t z)
{
	char *b = zbufs[znext++ % 8];
	if (mpz_sizeinbase(z, 10) + 2 > sizeof(zbufs[0]))
		return "(too large)";
	return mpz_get_str(b, 10, z);
}

const char *ut_q(const mpq_t q)
{
	char *b = zbufs[znext++ % 8];
	if (mpz_sizeinbase(mpq_numref(q), 10) + mpz_sizeinbase(mpq_denref(q), 10)
	    + 3 > sizeof(zbufs[0]))
		return "(too large)";
	return mpq_get_str(b, 10, q);
}

int ut_main(Suite *suite)
{
	const char *tmp = getenv("TMPDIR");
	char templ[4096];
	snprintf(templ, sizeof(templ), "%s/grantrec-unit-XXXXXX",
	         tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(templ)) {
		fprintf(stderr, "cannot create a scratch directory %s: %s\n", templ,
		        strerror(errno));
		return EXIT_FAILURE;
	}
	scratch = templ;
	SRunner *sr = srunner_create(suite);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	ut_rmtree(templ);
	scratch = NULL;
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
