/*
 * progress.h: how far a long run has come, for whoever shows it.
 *
 * The library only reports (reading the ledgers, reconciling, writing the
 * workbook); the command line decides whether a person is watching (a
 * terminal on standard error) and draws the line. Nothing is reported
 * unless a callback is set, and reports come from one thread only.
 */
#ifndef GRANTREC_PROGRESS_H
#define GRANTREC_PROGRESS_H

#include <stdint.h>

/* `total` 0: a stage without a measure ("reconciling"). */
typedef void (*gr_progress_fn)(void *ctx, const char *stage, uint64_t done,
                               uint64_t total);

/* NULL: no reports (the default). */
void gr_progress_set(gr_progress_fn fn, void *ctx);

void gr_progress(const char *stage, uint64_t done, uint64_t total);

#endif
