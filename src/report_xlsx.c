#include "grantrec/report.h"

enum gr_status gr_report_xlsx(const char *path,
                              const struct gr_report_context *ctx,
                              long long created, struct gr_diags *diags)
{
	(void)ctx;
	(void)created;
	gr_error(diags, path, 0, "the workbook writer is not built yet");
	return GR_E_SYSTEM;
}
