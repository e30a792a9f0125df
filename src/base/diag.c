#include "grantrec/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

void gr_diags_release(struct gr_diags *diags)
{
	if (!diags)
		return;
	for (size_t i = 0; i < diags->count; i++) {
		free(diags->items[i].file);
		free(diags->items[i].message);
	}
	free(diags->items);
	memset(diags, 0, sizeof(*diags));
}

void gr_diag_add(struct gr_diags *diags, enum gr_severity severity,
                 const char *file, long line, const char *fmt, ...)
{
	if (severity == GR_SEV_ERROR)
		diags->errors++;
	if (diags->count >= GR_DIAGS_KEEP) {
		diags->dropped++;
		return;
	}
	if (diags->count == diags->cap) {
		size_t cap = diags->cap ? diags->cap * 2 : 16;
		struct gr_diag *items = gr_realloc(diags->items, cap * sizeof(*items));
		if (!items) {
			diags->dropped++;
			diags->out_of_memory = true;
			return;
		}
		diags->items = items;
		diags->cap = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	char *message = gr_vasprintf(fmt, ap);
	va_end(ap);
	char *file_copy = file ? gr_strdup(file) : NULL;
	if (!message || (file && !file_copy)) {
		free(message);
		free(file_copy);
		diags->dropped++;
		diags->out_of_memory = true;
		return;
	}
	diags->items[diags->count++] = (struct gr_diag){
		.severity = severity, .file = file_copy, .line = line,
		.message = message,
	};
}

void gr_diags_append(struct gr_diags *dst, const struct gr_diags *src)
{
	size_t replayed_errors = 0;
	for (size_t i = 0; i < src->count; i++) {
		const struct gr_diag *d = &src->items[i];
		gr_diag_add(dst, d->severity, d->file, d->line, "%s", d->message);
		if (d->severity == GR_SEV_ERROR)
			replayed_errors++;
	}
	dst->errors += src->errors - replayed_errors;
	dst->dropped += src->dropped;
	dst->out_of_memory = dst->out_of_memory || src->out_of_memory;
}

const char *gr_quote_value(char *buf, size_t size, const char *text)
{
	size_t out = 0;
	size_t limit = size > 4 ? size - 4 : 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (out >= limit) {
			memcpy(buf + out, "...", 3);
			out += 3;
			break;
		}
		buf[out++] = (*p < 0x20 || *p == 0x7f) ? '?' : (char)*p;
	}
	buf[out] = '\0';
	return buf;
}
