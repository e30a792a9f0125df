#include "base/util.h"

#include <gmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long fail_at;      /* 0: never fail; set before any thread starts */
static _Atomic long alloc_count;   /* the ledger files are read on two threads */
static atomic_bool alloc_has_failed;

static bool should_fail(void)
{
	if (fail_at <= 0)
		return false;
	if (++alloc_count == fail_at) {
		alloc_has_failed = true;
		return true;
	}
	return false;
}

void *gr_malloc(size_t size)
{
	return should_fail() ? NULL : malloc(size ? size : 1);
}

void *gr_calloc(size_t count, size_t size)
{
	return should_fail() ? NULL : calloc(count ? count : 1, size ? size : 1);
}

void *gr_realloc(void *ptr, size_t size)
{
	return should_fail() ? NULL : realloc(ptr, size ? size : 1);
}

bool gr_alloc_failed(void)
{
	return alloc_has_failed;
}

/* GMP has no way to report a failed allocation: it aborts. An abort with a
 * message is what the test hook expects from GMP; everything else in the
 * core returns an error instead. */
static void *gmp_alloc(size_t size)
{
	void *p = gr_malloc(size);
	if (!p) {
		fputs("grantrec: error: out of memory\n", stderr);
		exit(3);
	}
	return p;
}

static void *gmp_realloc(void *ptr, size_t old_size, size_t new_size)
{
	(void)old_size;
	void *p = gr_realloc(ptr, new_size);
	if (!p) {
		fputs("grantrec: error: out of memory\n", stderr);
		exit(3);
	}
	return p;
}

static void gmp_free(void *ptr, size_t size)
{
	(void)size;
	free(ptr);
}

void gr_alloc_setup(void)
{
	const char *at = getenv("GRANTREC_FAIL_ALLOC_AT");
	if (at && *at) {
		char *end;
		long n = strtol(at, &end, 10);
		if (*end == '\0' && n > 0)
			fail_at = n;
	}
	mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
}

char *gr_strdup(const char *s)
{
	return gr_strndup(s, strlen(s));
}

char *gr_strndup(const char *s, size_t n)
{
	char *copy = gr_malloc(n + 1);
	if (copy) {
		memcpy(copy, s, n);
		copy[n] = '\0';
	}
	return copy;
}

char *gr_vasprintf(const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return NULL;
	char *buf = gr_malloc((size_t)n + 1);
	if (buf)
		vsnprintf(buf, (size_t)n + 1, fmt, ap);
	return buf;
}

char *gr_asprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = gr_vasprintf(fmt, ap);
	va_end(ap);
	return s;
}

bool gr_grow(void **items, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return true;
	size_t new_cap = *cap ? *cap : 8;
	while (new_cap < need)
		new_cap *= 2;
	void *p = gr_realloc(*items, new_cap * size);
	if (!p)
		return false;
	*items = p;
	*cap = new_cap;
	return true;
}

void gr_sort(void *base, size_t count, size_t size,
             int (*cmp)(const void *, const void *))
{
	if (count > 1)
		qsort(base, count, size, cmp);
}

const char *gr_trim(const char *text, size_t *len)
{
	while (*text == ' ' || *text == '\t')
		text++;
	size_t n = strlen(text);
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
		n--;
	*len = n;
	return text;
}

char *gr_trim_dup(const char *text)
{
	size_t n;
	const char *start = gr_trim(text, &n);
	return gr_strndup(start, n);
}

char *gr_path_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return gr_strdup(".");
	if (slash == path)
		return gr_strdup("/");
	return gr_strndup(path, (size_t)(slash - path));
}

char *gr_path_join(const char *dir, const char *rel)
{
	char *joined = (rel[0] == '/' || strcmp(dir, ".") == 0)
		? gr_strdup(rel) : gr_asprintf("%s/%s", dir, rel);
	if (!joined)
		return NULL;
	/* Lexical clean-up, segment by segment. */
	size_t n = strlen(joined);
	char *out = gr_malloc(n + 2);
	if (!out) {
		free(joined);
		return NULL;
	}
	bool absolute = joined[0] == '/';
	size_t len = 0;
	if (absolute)
		out[len++] = '/';
	size_t kept = 0; /* segments in out that are not ".." */
	char *save = NULL;
	for (char *seg = strtok_r(joined, "/", &save); seg;
	     seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0 && kept > 0) {
			/* drop the last segment */
			if (len > 0 && out[len - 1] == '/' && len > (absolute ? 1u : 0u))
				len--;
			while (len > (absolute ? 1u : 0u) && out[len - 1] != '/')
				len--;
			kept--;
			continue;
		}
		if (len > 0 && out[len - 1] != '/')
			out[len++] = '/';
		size_t sl = strlen(seg);
		memcpy(out + len, seg, sl);
		len += sl;
		if (strcmp(seg, "..") != 0)
			kept++;
	}
	while (len > (absolute ? 1u : 0u) && out[len - 1] == '/')
		len--;
	if (len == 0)
		out[len++] = '.';
	out[len] = '\0';
	free(joined);
	return out;
}
