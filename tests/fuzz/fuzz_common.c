/* fuzz_common.c: memory-backed input files and the failure report. */
#define _GNU_SOURCE /* memfd_create */
#include "fuzz_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void fz_file_open(struct fz_file *f, const char *name)
{
	int fd = memfd_create(name, 0);
	if (fd < 0) {
		/* No memfd (an old kernel, a sandbox): an unlinked temporary
		 * file is reachable through /proc/self/fd just the same. */
		const char *dir = getenv("TMPDIR");
		char tmpl[512];
		snprintf(tmpl, sizeof(tmpl), "%s/grantrec-fuzz-XXXXXX",
		         dir && *dir ? dir : "/tmp");
		fd = mkstemp(tmpl);
		if (fd >= 0)
			unlink(tmpl);
	}
	if (fd < 0) {
		perror("fuzz: cannot create an input file");
		abort();
	}
	f->fd = fd;
	snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", fd);
}

void fz_file_set(struct fz_file *f, const void *data, size_t size)
{
	if (ftruncate(f->fd, 0) != 0) {
		perror("fuzz: ftruncate");
		abort();
	}
	const char *p = data;
	off_t off = 0;
	while (size > 0) {
		ssize_t n = pwrite(f->fd, p, size, off);
		if (n <= 0) {
			perror("fuzz: pwrite");
			abort();
		}
		p += n;
		off += n;
		size -= (size_t)n;
	}
}

void fz_file_set_str(struct fz_file *f, const char *text)
{
	fz_file_set(f, text, strlen(text));
}

char *fz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void fz_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "\n%s:%d: invariant broken: ", file, line);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}
