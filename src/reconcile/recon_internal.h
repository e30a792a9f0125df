/*
 * recon_internal.h: what the parts of the reconciliation (src/reconcile/)
 * share, private to the folder. Each part fills its own members of
 * struct gr_recon; struct work holds the state of one run between them.
 */
#ifndef GRANTREC_RECON_INTERNAL_H
#define GRANTREC_RECON_INTERNAL_H

#include "grantrec/reconcile.h"
#include "base/util.h"

/* A rate prepared for 128-bit conversion: cents = amount x den100 /
 * (10^scale x num), with den100 = den(rate) x 100 below 2^63 and num below
 * 2^100, so that with an amount below 2^63 and a scale of at most 6 neither
 * product passes 2^127. Longer rates (transfer averages can be) take GMP. */
struct fast_rate {
	bool ready, fits;
	int64_t den100;
	gr_i128 num;
};

/* Lines of one member in one currency that share a conversion problem:
 * reported once, with the first line and a count, not line by line. */
struct fallback {
	size_t member;
	char currency[4];
	size_t first_line;  /* ledger index */
	size_t count;
	long worst_gap;     /* stale rates: the largest age in days */
	size_t worst_line;  /* ... and the line that has it */
};

struct tally {
	struct fallback *items;
	size_t count, cap;
};

/* A daily rate older than this many days is reported: the ECB skips
 * weekends and holidays (four days at Easter), not weeks; a hand-kept
 * table may hold weekly rates. Two weeks without a rate is a gap. */
#define GR_STALE_DAYS 14

/* (member, currency) -> rate group, found once per pair rather than once
 * per line: an open-addressing table keyed by member and currency. */
struct group_cache {
	uint64_t *keys;   /* 0: empty */
	long *groups;
	size_t cap, count;
};

struct work {
	struct gr_recon *r;
	struct gr_diags *diags;
	bool oom;
	struct gr_strset line_names;   /* budget line texts, budget and ledger */
	long *line_slot;               /* [members x names] -> index in r->lines */
	size_t slot_names;             /* names the slot table was sized for */
	uint32_t *ledger_name;         /* ledger budget_line id -> line_names id */
	/* The exact unrounded total, gathered without fractions per line:
	 * each rate's local amounts summed at a fixed 6 decimals (what a
	 * ledger amount may carry), divided by the rate once at the end. */
	gr_i128 *rate_sum6;            /* [rate_count] */
	gr_i128 direct_sum6;           /* grant-currency lines */
	mpq_t exact_big;               /* lines whose amount needs GMP, exact */
	struct fast_rate *fast;        /* [rate_count], filled on first use */
	struct group_cache groups;
	mpz_t scratch;                 /* one line's cents, for messages */
};

/* funds.c */
void recon_build_funds(struct work *w);
void recon_build_cover(struct work *w);

/* convert.c */
void recon_prepare_rate(struct fast_rate *f, const mpq_t value);
bool recon_convert_fast(const struct fast_rate *f, int64_t amount, int scale,
                        enum gr_rounding rounding, int64_t *cents);
void recon_convert_exact(mpz_t cents, const struct gr_dec *amount,
                         const mpq_t rate, enum gr_rounding rounding);
void recon_group_cache_release(struct group_cache *gc);
bool recon_convert_lines(struct work *w, struct tally *fallbacks,
                         struct tally *stale);

/* budget_lines.c */
void recon_assess_variance(const struct gr_grant *g, const mpz_t budget,
                           const mpz_t variance, bool *has_pct,
                           char pct[32], bool *over);
bool recon_build_budget_lines(struct work *w);

/* aggregate.c */
bool recon_build_periods(struct work *w);
size_t recon_period_of(const struct gr_period_result *list, size_t count,
                       gr_date date);
bool recon_build_countries(struct work *w);
bool recon_choose_budget(struct work *w);
void recon_sum_budgets(struct work *w);
void recon_sum_actuals(struct work *w, mpz_t ledger_total);
void recon_sum_variances(struct work *w, const mpz_t ledger_total);
void recon_exact_total(struct work *w);

/* duplicates.c */
bool recon_find_duplicates(struct work *w);

/* checks.c */
void recon_build_checks(struct work *w, const mpz_t ledger_total);

/* findings.c */
__attribute__((format(printf, 6, 7)))
void recon_finding(struct work *w, enum gr_severity sev, const char *code,
                   const char *file, long line, const char *fmt, ...);
char *recon_money(char buf[GR_MONEY_BUF], const mpz_t cents);
void recon_grant_findings(struct work *w);
void recon_fx_findings(struct work *w, const struct tally *fallbacks,
                       const struct tally *stale);
void recon_budget_line_findings(struct work *w);

/* scope.c */
bool recon_resolve_scope(struct work *w, const struct gr_recon_request *req);

/* forecast.c */
void recon_build_forecasts(struct work *w);

/* fx_bridge.c */
void recon_build_fx_effect(struct work *w);

/* declared.c */
void recon_build_declared(struct work *w);

#endif
