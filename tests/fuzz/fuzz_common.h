/*
 * fuzz_common.h: what the fuzz targets share (docs/robustness.md).
 *
 * Each target is one file fuzz_<name>.c defining LLVMFuzzerTestOneInput.
 * It is linked either with libFuzzer (clang, -DGRANTREC_FUZZ=ON, see
 * tests/fuzz/CMakeLists.txt) or with replay_main.c, which runs the seed
 * corpus and the regression files once under any compiler
 * (tests/faults/CMakeLists.txt), so that every crash ever found stays
 * fixed in the ordinary test suite.
 *
 * The core reads files by path: a target writes its input into a
 * memory-backed file (memfd) and hands the core "/proc/self/fd/N".
 * A broken invariant calls fz_fail(), which prints what was expected and
 * aborts: libFuzzer then saves the input as a crash.
 */
#ifndef GRANTREC_FUZZ_COMMON_H
#define GRANTREC_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A file held in memory, reachable by path. */
struct fz_file {
	int fd;
	char path[64];
};

/* Creates the file (once; aborts when the system cannot). */
void fz_file_open(struct fz_file *f, const char *name);
/* Replaces the file's whole content. */
void fz_file_set(struct fz_file *f, const void *data, size_t size);
void fz_file_set_str(struct fz_file *f, const char *text);

/* A NUL-terminated copy of data[0..size) (malloc; the caller frees). */
char *fz_strndup(const uint8_t *data, size_t size);

_Noreturn void fz_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define FZ_CHECK(cond, ...)                                      \
	do {                                                     \
		if (!(cond))                                     \
			fz_fail(__FILE__, __LINE__, __VA_ARGS__); \
	} while (0)

#endif
