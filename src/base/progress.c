#include "grantrec/progress.h"

#include <stddef.h>

static gr_progress_fn progress_fn;
static void *progress_ctx;

void gr_progress_set(gr_progress_fn fn, void *ctx)
{
	progress_fn = fn;
	progress_ctx = ctx;
}

void gr_progress(const char *stage, uint64_t done, uint64_t total)
{
	if (progress_fn)
		progress_fn(progress_ctx, stage, done, total);
}
