/*
 * duplicates.c: lines booked twice: the same member, voucher, date, budget
 * line, currency and amount.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/progress.h"
#include "base/util.h"
#include "reconcile/recon_internal.h"

/* ---- duplicates ---------------------------------------------------------- */

/* Two lines are the same booking when member, voucher, date, budget line,
 * currency and amount (as a number: 1.5 = 1.50) all agree. A member's
 * lines are contiguous in the ledger, so one member is checked at a time:
 * each line's key is hashed into an open-addressing table that holds the
 * first line of every distinct key; only lines whose hashes agree are
 * compared in full. One probe per line, no sort. */

struct first_seen {
	uint32_t tag;     /* the hash's upper half; 0 with index 0: empty */
	uint32_t index;   /* within the member's lines, + 1 */
};

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9E3779B97F4A7C15u + (h << 6) + (h >> 2);
	return h * 0xFF51AFD7ED558CCDu;
}

static uint64_t booking_hash(const struct gr_line *line)
{
	uint64_t h = 0xCBF29CE484222325u;
	for (const unsigned char *p = (const unsigned char *)line->voucher; *p; p++)
		h = (h ^ *p) * 0x100000001B3u;
	h = mix(h, (uint64_t)(uint32_t)line->date);
	h = mix(h, line->budget_line);
	h = mix(h, (uint64_t)(unsigned char)line->currency[0] |
	           (uint64_t)(unsigned char)line->currency[1] << 8 |
	           (uint64_t)(unsigned char)line->currency[2] << 16);
	if (!line->amount_big) {
		/* The number, not its writing: 1.50 and 1.5 hash alike. */
		int64_t a = line->amount;
		int scale = line->scale;
		while (scale > 0 && a % 10 == 0) {
			a /= 10;
			scale--;
		}
		h = mix(h, (uint64_t)a);
		h = mix(h, (uint64_t)scale);
	}
	return h;
}

static bool same_booking(const struct gr_ledger *ledger,
                         const struct gr_line *x, const struct gr_line *y)
{
	return x->date == y->date && x->budget_line == y->budget_line &&
	       memcmp(x->currency, y->currency, 4) == 0 &&
	       strcmp(x->voucher, y->voucher) == 0 &&
	       gr_line_amount_cmp(ledger, x, y) == 0;
}

#define NOT_DUPLICATE UINT32_MAX

static bool member_duplicates(struct work *w, size_t first, size_t end,
                              struct first_seen *table, size_t mask,
                              uint32_t *first_of)
{
	const struct gr_ledger *ledger = w->r->ledger;
	memset(table, 0, (mask + 1) * sizeof(*table));
	for (size_t i = first; i < end; i++) {
		first_of[i - first] = NOT_DUPLICATE;
		if (!w->r->converted[i].in_scope)
			continue;
		const struct gr_line *line = &ledger->lines[i];
		uint64_t h = booking_hash(line);
		uint32_t tag = (uint32_t)(h >> 32);
		size_t slot = (size_t)h & mask;
		for (; table[slot].index; slot = (slot + 1) & mask) {
			const struct first_seen *f = &table[slot];
			if (f->tag == tag &&
			    same_booking(ledger, &ledger->lines[first + f->index - 1],
			                 line)) {
				first_of[i - first] = f->index - 1;
				break;
			}
		}
		if (!table[slot].index)
			table[slot] = (struct first_seen){
				.tag = tag, .index = (uint32_t)(i - first + 1),
			};
	}
	/* Report in input order. */
	for (size_t i = first; i < end; i++) {
		if (first_of[i - first] == NOT_DUPLICATE)
			continue;
		const struct gr_line *b = &ledger->lines[i];
		const struct gr_line *a = &ledger->lines[first + first_of[i - first]];
		const char *b_path = gr_line_input(ledger, b)->path;
		char day[11], amount[GR_MONEY_BUF];
		recon_finding(w, GR_SEV_WARNING, "duplicate-booking", b_path, b->line,
		              "probable double booking: voucher '%s' of %s, %s %s on '%s' "
		              "is also on %s%sline %ld (both are counted)", b->voucher,
		              gr_date_iso(day, b->date),
		              gr_line_amount_str(amount, ledger, b), b->currency,
		              ledger->budget_lines.strings[b->budget_line],
		              a->source == b->source ? "" : gr_line_input(ledger, a)->path,
		              a->source == b->source ? "" : " ", (long)a->line);
	}
	return !w->oom;
}

static size_t member_end(const struct gr_ledger *ledger, size_t first)
{
	size_t end = first;
	while (end < ledger->count &&
	       ledger->lines[end].member == ledger->lines[first].member)
		end++;
	return end;
}

bool recon_find_duplicates(struct work *w)
{
	const struct gr_ledger *ledger = w->r->ledger;
	size_t largest = 0;
	for (size_t i = 0, end; i < ledger->count; i = end) {
		end = member_end(ledger, i);
		if (end - i > largest)
			largest = end - i;
	}
	if (largest < 2)
		return true;
	if (largest >= UINT32_MAX) {
		w->oom = true;   /* a member of four billion lines: cannot happen */
		return false;
	}
	size_t slots = 16;
	while (slots < largest + largest / 2)   /* at most two thirds full */
		slots *= 2;
	struct first_seen *table = gr_malloc(slots * sizeof(*table));
	uint32_t *first_of = gr_malloc(largest * sizeof(*first_of));
	bool ok = table && first_of;
	for (size_t i = 0; ok && i < ledger->count;) {
		size_t end = member_end(ledger, i);
		ok = member_duplicates(w, i, end, table, slots - 1, first_of);
		i = end;
	}
	free(table);
	free(first_of);
	return ok;
}
