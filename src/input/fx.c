#include "grantrec/fx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/columns.h"
#include "base/util.h"

static void group_name(char *buf, size_t size, enum gr_fx_method method,
                       size_t member, const char *currency);

static void index_release(struct gr_fx_index *idx)
{
	free(idx->keys);
	gr_strset_release(&idx->groups);
}

void gr_fx_release(struct gr_fx *fx)
{
	if (!fx)
		return;
	for (size_t i = 0; i < fx->rate_count; i++) {
		mpq_clear(fx->rates[i].value);
		free(fx->rates[i].text);
	}
	free(fx->rates);
	for (size_t i = 0; i < fx->transfer_count; i++) {
		gr_dec_clear(&fx->transfers[i].eur);
		gr_dec_clear(&fx->transfers[i].local);
		free(fx->transfers[i].eur_text);
		free(fx->transfers[i].local_text);
	}
	free(fx->transfers);
	for (size_t i = 0; i < fx->budget_rate_count; i++) {
		mpq_clear(fx->budget_rates[i].value);
		free(fx->budget_rates[i].text);
	}
	free(fx->budget_rates);
	index_release(&fx->daily);
	index_release(&fx->monthly);
	index_release(&fx->average);
	memset(fx, 0, sizeof(*fx));
}

struct loader {
	struct gr_fx *fx;
	const struct gr_grant *grant;
	struct gr_diags *diags;
	const char *path;
	enum gr_fx_method method;
	bool oom;
};

static struct gr_rate *new_rate(struct loader *ld)
{
	struct gr_fx *fx = ld->fx;
	if (!gr_grow((void **)&fx->rates, &fx->rate_cap, fx->rate_count + 1,
	             sizeof(*fx->rates))) {
		ld->oom = true;
		return NULL;
	}
	struct gr_rate *r = &fx->rates[fx->rate_count++];
	memset(r, 0, sizeof(*r));
	mpq_init(r->value);
	r->path = ld->path;
	r->method = ld->method;
	return r;
}

static bool add_key(struct loader *ld, struct gr_fx_index *idx,
                    const char *group, gr_date date, size_t rate)
{
	long g = gr_strset_intern(&idx->groups, group, strlen(group));
	if (g < 0 || !gr_grow((void **)&idx->keys, &idx->cap, idx->count + 1,
	                      sizeof(*idx->keys))) {
		ld->oom = true;
		return false;
	}
	idx->keys[idx->count++] = (struct gr_fx_key){
		.group = (uint32_t)g, .date = date, .rate = (uint32_t)rate,
	};
	return true;
}

static int key_cmp(const void *a, const void *b)
{
	const struct gr_fx_key *x = a, *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->rate < y->rate ? -1 : x->rate > y->rate;
}

/* ---- daily and monthly tables ---------------------------------------- */

static void rate_row(void *vctx, const struct gr_columns *cols,
                     const struct gr_csv_row *row)
{
	struct loader *ld = vctx;
	gr_date date = GR_NO_DATE;
	char currency[4];
	bool ok;
	const char *date_text = gr_columns_field(cols, row, 0);
	if (ld->method == GR_FX_MONTHLY) {
		const char *why = gr_month_parse(&date, date_text);
		ok = why == NULL;
		if (!ok) {
			char q[80];
			gr_error(ld->diags, ld->path, row->line,
			         "column 'month': invalid month '%s': expected %s",
			         gr_quote_value(q, sizeof(q), date_text), why);
		}
	} else {
		ok = gr_field_date(&date, date_text, "date", GR_DATE_ISO, ld->path,
		                   row->line, ld->diags);
	}
	ok = gr_field_currency(currency, gr_columns_field(cols, row, 1),
	                       "currency", ld->path, row->line, ld->diags) && ok;
	if (ok && strcmp(currency, ld->grant->currency) == 0) {
		gr_error(ld->diags, ld->path, row->line,
		         "column 'currency': a rate for %s, the grant currency itself "
		         "(lines in %s are never converted)", currency, currency);
		ok = false;
	}
	struct gr_dec rate;
	gr_dec_init(&rate);
	const char *text = gr_columns_field(cols, row, 2);
	const char *why = gr_dec_parse(&rate, text, GR_NUMBER_PLAIN,
	                               GR_DEC_MAX_SCALE);
	if (why || mpz_sgn(rate.coef) <= 0) {
		char q[80];
		gr_error(ld->diags, ld->path, row->line,
		         "column 'rate': invalid rate '%s': expected %s",
		         gr_quote_value(q, sizeof(q), text),
		         why ? why : "a rate above zero (units of the currency per "
		                     "1 unit of the grant currency)");
		ok = false;
	}
	if (ok) {
		struct gr_rate *r = new_rate(ld);
		if (r) {
			gr_dec_to_mpq(r->value, &rate);
			memcpy(r->currency, currency, 4);
			r->date = date;
			r->line = row->line;
			size_t len;
			const char *t = gr_trim(text, &len);
			r->text = gr_strndup(t, len);
			if (!r->text)
				ld->oom = true;
			add_key(ld, ld->method == GR_FX_MONTHLY ? &ld->fx->monthly
			                                        : &ld->fx->daily,
			        currency, date, ld->fx->rate_count - 1);
		}
	}
	gr_dec_clear(&rate);
}

/* Sorts an index; two different rates for one key are an error, the same
 * rate twice is harmless and the later row is dropped from the index. */
static void finish_table_index(struct loader *ld, struct gr_fx_index *idx)
{
	if (idx->count == 0)
		return;
	gr_sort(idx->keys, idx->count, sizeof(*idx->keys), key_cmp);
	size_t out = 0;
	for (size_t i = 0; i < idx->count; i++) {
		if (out > 0 && idx->keys[out - 1].group == idx->keys[i].group &&
		    idx->keys[out - 1].date == idx->keys[i].date) {
			const struct gr_rate *a = &ld->fx->rates[idx->keys[out - 1].rate];
			const struct gr_rate *b = &ld->fx->rates[idx->keys[i].rate];
			if (!mpq_equal(a->value, b->value)) {
				char day[11];
				gr_date_iso(day, b->date);
				gr_error(ld->diags, b->path, b->line,
				         "a second %s rate for %s on %s: '%s' here, '%s' on "
				         "line %ld; keep one", gr_fx_method_name(b->method),
				         b->currency, ld->method == GR_FX_MONTHLY
				         ? (day[7] = '\0', day) : day, b->text, a->text,
				         a->line);
			}
			continue;
		}
		idx->keys[out++] = idx->keys[i];
	}
	idx->count = out;
}

/* ---- planning rates ---------------------------------------------------- */

static void budget_rate_row(void *vctx, const struct gr_columns *cols,
                            const struct gr_csv_row *row)
{
	struct loader *ld = vctx;
	struct gr_fx *fx = ld->fx;
	char currency[4];
	bool ok = gr_field_currency(currency, gr_columns_field(cols, row, 0),
	                            "currency", ld->path, row->line, ld->diags);
	if (ok && strcmp(currency, ld->grant->currency) == 0) {
		gr_error(ld->diags, ld->path, row->line,
		         "column 'currency': a planning rate for %s, the grant "
		         "currency itself", currency);
		ok = false;
	}
	const struct gr_budget_rate *dup = ok ? gr_fx_budget_rate(fx, currency)
	                                      : NULL;
	if (dup) {
		gr_error(ld->diags, ld->path, row->line,
		         "a second planning rate for %s (the first is on line %ld)",
		         currency, dup->line);
		ok = false;
	}
	struct gr_dec rate;
	gr_dec_init(&rate);
	const char *text = gr_columns_field(cols, row, 1);
	const char *why = gr_dec_parse(&rate, text, GR_NUMBER_PLAIN,
	                               GR_DEC_MAX_SCALE);
	if (why || mpz_sgn(rate.coef) <= 0) {
		char q[80];
		gr_error(ld->diags, ld->path, row->line,
		         "column 'rate': invalid rate '%s': expected %s",
		         gr_quote_value(q, sizeof(q), text),
		         why ? why : "a rate above zero");
		ok = false;
	}
	if (ok && gr_grow((void **)&fx->budget_rates, &fx->budget_rate_cap,
	                  fx->budget_rate_count + 1, sizeof(*fx->budget_rates))) {
		struct gr_budget_rate *b = &fx->budget_rates[fx->budget_rate_count++];
		memcpy(b->currency, currency, 4);
		mpq_init(b->value);
		gr_dec_to_mpq(b->value, &rate);
		size_t n;
		const char *t = gr_trim(text, &n);
		b->text = gr_strndup(t, n);
		b->line = row->line;
		if (!b->text)
			ld->oom = true;
	} else if (ok) {
		ld->oom = true;
	}
	gr_dec_clear(&rate);
}

const struct gr_budget_rate *gr_fx_budget_rate(const struct gr_fx *fx,
                                               const char *currency)
{
	for (size_t i = 0; i < fx->budget_rate_count; i++)
		if (strcmp(fx->budget_rates[i].currency, currency) == 0)
			return &fx->budget_rates[i];
	return NULL;
}

/* ---- transfers ------------------------------------------------------- */

static void transfer_row(void *vctx, const struct gr_columns *cols,
                         const struct gr_csv_row *row)
{
	struct loader *ld = vctx;
	struct gr_fx *fx = ld->fx;
	struct gr_transfer t = { .line = row->line };
	gr_dec_init(&t.eur);
	gr_dec_init(&t.local);
	bool ok = gr_field_date(&t.date, gr_columns_field(cols, row, 0), "date",
	                        GR_DATE_ISO, ld->path, row->line, ld->diags);
	size_t n;
	const char *id = gr_trim(gr_columns_field(cols, row, 1), &n);
	char idbuf[128];
	snprintf(idbuf, sizeof(idbuf), "%.*s", (int)(n < 127 ? n : 127), id);
	long m = gr_grant_find_member(ld->grant, idbuf);
	if (m < 0) {
		char q[80];
		gr_error(ld->diags, ld->path, row->line,
		         "column 'member': unknown member '%s': expected the id of a "
		         "[member <id>] section", gr_quote_value(q, sizeof(q), idbuf));
		ok = false;
	}
	t.member = (size_t)m;
	ok = gr_field_currency(t.currency, gr_columns_field(cols, row, 2),
	                       "currency", ld->path, row->line, ld->diags) && ok;
	const char *names[2] = {"eur", "local"};
	struct gr_dec *vals[2] = {&t.eur, &t.local};
	char **texts[2] = {&t.eur_text, &t.local_text};
	for (int i = 0; i < 2; i++) {
		const char *text = gr_columns_field(cols, row, 3 + (size_t)i);
		const char *why = gr_dec_parse(vals[i], text, GR_NUMBER_PLAIN,
		                               GR_DEC_MAX_SCALE);
		if (why || mpz_sgn(vals[i]->coef) <= 0) {
			char q[80];
			gr_error(ld->diags, ld->path, row->line,
			         "column '%s': invalid amount '%s': expected %s", names[i],
			         gr_quote_value(q, sizeof(q), text),
			         why ? why : "an amount above zero");
			ok = false;
		} else {
			*texts[i] = gr_strdup(gr_trim(text, &n));
			if (!*texts[i])
				ld->oom = true;
			else
				(*texts[i])[n] = '\0';
		}
	}
	if (ok && !gr_grow((void **)&fx->transfers, &fx->transfer_cap,
	                   fx->transfer_count + 1, sizeof(*fx->transfers))) {
		ld->oom = true;
		ok = false;
	}
	if (!ok) {
		gr_dec_clear(&t.eur);
		gr_dec_clear(&t.local);
		free(t.eur_text);
		free(t.local_text);
		return;
	}
	fx->transfers[fx->transfer_count++] = t;
}

static int transfer_cmp(const void *a, const void *b)
{
	const struct gr_transfer *x = a, *y = b;
	if (x->member != y->member)
		return x->member < y->member ? -1 : 1;
	int c = strcmp(x->currency, y->currency);
	if (c)
		return c;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* One rate per transfer: the running average up to and including it. A
 * line takes the rate of the last transfer dated on or before it, so
 * several transfers on one day all count for that day. */
static void build_averages(struct loader *ld)
{
	struct gr_fx *fx = ld->fx;
	gr_sort(fx->transfers, fx->transfer_count, sizeof(*fx->transfers),
	      transfer_cmp);
	mpq_t sum_eur, sum_local, v;
	mpq_inits(sum_eur, sum_local, v, NULL);
	size_t first = 0;
	for (size_t i = 0; i < fx->transfer_count && !ld->oom; i++) {
		const struct gr_transfer *t = &fx->transfers[i];
		if (i == 0 || t->member != fx->transfers[i - 1].member ||
		    strcmp(t->currency, fx->transfers[i - 1].currency) != 0) {
			mpq_set_ui(sum_eur, 0, 1);
			mpq_set_ui(sum_local, 0, 1);
			first = i;
		}
		gr_dec_to_mpq(v, &t->eur);
		mpq_add(sum_eur, sum_eur, v);
		gr_dec_to_mpq(v, &t->local);
		mpq_add(sum_local, sum_local, v);
		struct gr_rate *r = new_rate(ld);
		if (!r)
			break;
		mpq_div(r->value, sum_local, sum_eur);
		memcpy(r->currency, t->currency, 4);
		r->date = t->date;
		r->line = t->line;
		r->member = t->member;
		r->first_transfer = first;
		r->last_transfer = i;
		char group[64];
		group_name(group, sizeof(group), GR_FX_TRANSFER_AVERAGE, t->member,
		           t->currency);
		add_key(ld, &fx->average, group, t->date, fx->rate_count - 1);
	}
	mpq_clears(sum_eur, sum_local, v, NULL);
	/* Keys were added in (group, date, line) order within each group, but
	 * groups interleave in id order: sort, keeping the last per date. */
	struct gr_fx_index *idx = &fx->average;
	gr_sort(idx->keys, idx->count, sizeof(*idx->keys), key_cmp);
	size_t out = 0;
	for (size_t i = 0; i < idx->count; i++) {
		if (out > 0 && idx->keys[out - 1].group == idx->keys[i].group &&
		    idx->keys[out - 1].date == idx->keys[i].date)
			out--; /* a later transfer the same day includes the earlier */
		idx->keys[out++] = idx->keys[i];
	}
	idx->count = out;
}

/* ---- loading ----------------------------------------------------------- */

static const struct gr_csv_options table_options = {
	.delimiter = ',', .encoding = GR_ENC_UTF8,
};

static enum gr_status load_table(struct loader *ld,
                                 const struct gr_file_ref *ref,
                                 const char *role, enum gr_fx_method method,
                                 const char *const *names, size_t count,
                                 gr_table_row_fn fn, const char **path_out,
                                 struct gr_inputs *inputs)
{
	struct gr_input *in = gr_inputs_add(inputs, role, ref->name, ref->path);
	if (!in) {
		ld->oom = true;
		return GR_E_SYSTEM;
	}
	*path_out = in->path;
	ld->path = in->path;
	ld->method = method;
	struct gr_columns cols = {
		.names = names, .count = count, .required = count,
	};
	return gr_table_read(in, &table_options, &cols, fn, ld, ld->diags);
}

enum gr_status gr_fx_load(struct gr_fx *fx, const struct gr_grant *grant,
                          struct gr_inputs *inputs, struct gr_diags *diags)
{
	static const char *const daily_cols[] = {"date", "currency", "rate"};
	static const char *const monthly_cols[] = {"month", "currency", "rate"};
	static const char *const transfer_cols[] = {
		"date", "member", "currency", "eur", "local",
	};
	struct loader ld = { .fx = fx, .grant = grant, .diags = diags };
	size_t errors_before = diags->errors;
	enum gr_status st = GR_OK, s;
	/* A table no member needs is still read when named: an auditor expects
	 * every named file to be valid and listed with its hash. */
	if (grant->daily_rates.name) {
		s = load_table(&ld, &grant->daily_rates, "daily rates", GR_FX_DAILY,
		               daily_cols, 3, rate_row, &fx->daily_path, inputs);
		st = s > st ? s : st;
		finish_table_index(&ld, &fx->daily);
	}
	if (grant->monthly_rates.name) {
		s = load_table(&ld, &grant->monthly_rates, "monthly rates",
		               GR_FX_MONTHLY, monthly_cols, 3, rate_row,
		               &fx->monthly_path, inputs);
		st = s > st ? s : st;
		finish_table_index(&ld, &fx->monthly);
	}
	if (grant->transfers.name) {
		s = load_table(&ld, &grant->transfers, "transfers",
		               GR_FX_TRANSFER_AVERAGE, transfer_cols, 5, transfer_row,
		               &fx->transfers_path, inputs);
		st = s > st ? s : st;
		ld.method = GR_FX_TRANSFER_AVERAGE;
		build_averages(&ld);
	}
	if (grant->budget_rates.name) {
		static const char *const budget_cols[] = {"currency", "rate"};
		s = load_table(&ld, &grant->budget_rates, "budget rates", GR_FX_DAILY,
		               budget_cols, 2, budget_rate_row,
		               &fx->budget_rates_path, inputs);
		st = s > st ? s : st;
	}
	if (ld.oom) {
		gr_error(diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	if (st == GR_OK && diags->errors > errors_before)
		st = GR_E_INPUT;
	return st;
}

/* ---- lookup -------------------------------------------------------------- */

static const struct gr_fx_index *index_for(const struct gr_fx *fx,
                                           enum gr_fx_method method)
{
	switch (method) {
	case GR_FX_DAILY: return &fx->daily;
	case GR_FX_MONTHLY: return &fx->monthly;
	default: return &fx->average;
	}
}

static void group_name(char *buf, size_t size, enum gr_fx_method method,
                       size_t member, const char *currency)
{
	if (method == GR_FX_TRANSFER_AVERAGE)
		snprintf(buf, size, "%zu:%s", member, currency);
	else
		snprintf(buf, size, "%s", currency);
}

/* Position of the first key of `group` dated after `date`. */
static size_t upper_bound(const struct gr_fx_index *idx, uint32_t group,
                          gr_date date)
{
	size_t lo = 0, hi = idx->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct gr_fx_key *k = &idx->keys[mid];
		if (k->group < group || (k->group == group && k->date <= date))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static long find_group(const struct gr_fx *fx, enum gr_fx_method method,
                       size_t member, const char *currency)
{
	char group[64];
	group_name(group, sizeof(group), method, member, currency);
	return gr_strset_find(&index_for(fx, method)->groups, group,
	                      strlen(group));
}

long gr_fx_group(const struct gr_fx *fx, enum gr_fx_method method,
                 size_t member, const char *currency)
{
	return find_group(fx, method, member, currency);
}

enum gr_fx_result gr_fx_find_in(const struct gr_fx *fx,
                                enum gr_fx_method method, long g,
                                gr_date date, size_t *rate)
{
	if (g < 0)
		return GR_FX_NO_CURRENCY;
	const struct gr_fx_index *idx = index_for(fx, method);
	if (method == GR_FX_MONTHLY)
		date = gr_date_month_start(date);
	size_t pos = upper_bound(idx, (uint32_t)g, date);
	if (pos > 0 && idx->keys[pos - 1].group == (uint32_t)g) {
		const struct gr_fx_key *k = &idx->keys[pos - 1];
		if (method == GR_FX_MONTHLY && k->date != date)
			return GR_FX_NO_RATE;
		*rate = k->rate;
		return GR_FX_FOUND;
	}
	if (method != GR_FX_TRANSFER_AVERAGE)
		return GR_FX_NO_RATE;
	/* No transfer before the line: the earliest one, reported. */
	*rate = idx->keys[pos].rate;
	return GR_FX_FALLBACK;
}

enum gr_fx_result gr_fx_find(const struct gr_fx *fx, enum gr_fx_method method,
                             size_t member, const char *currency,
                             gr_date date, size_t *rate)
{
	return gr_fx_find_in(fx, method, find_group(fx, method, member, currency),
	                     date, rate);
}

gr_date gr_fx_first_date(const struct gr_fx *fx, enum gr_fx_method method,
                         size_t member, const char *currency)
{
	long g = find_group(fx, method, member, currency);
	if (g < 0)
		return GR_NO_DATE;
	const struct gr_fx_index *idx = index_for(fx, method);
	size_t pos = upper_bound(idx, (uint32_t)g, GR_NO_DATE);
	return pos < idx->count && idx->keys[pos].group == (uint32_t)g
	       ? idx->keys[pos].date : GR_NO_DATE;
}
