// SPDX-License-Identifier: MIT
#include "reports/verdict_json.h"

namespace flight::reports {

void writeVerdictFields(protocol::JsonWriter& j, const Budget& budget, const BudgetVerdict& verdict)
{
    j.str("budget", budget.name);
    j.str("budgetSource", budget.source);
    j.str("platform", budget.platform);
    j.num("totalBytes", budget.totalBytes);
    j.num("usedBytes", verdict.usedBytes);
    j.inum("headroomBytes", verdict.headroomBytes);
    j.boolean("totalFits", verdict.totalFits);
    j.boolean("overflowed", verdict.overflowed);
    j.boolean("fits", verdict.fits);
    j.beginArray("purposes");
    for (const PurposeVerdict& p : verdict.purposes) {
        j.beginObject();
        j.str("purpose", p.purpose.name());
        j.num("usedBytes", p.usedBytes);
        if (p.budgetBytes) {
            j.num("budgetBytes", *p.budgetBytes);
            j.inum("headroomBytes", p.headroomBytes);
        } else {
            j.null("budgetBytes");
            j.null("headroomBytes");
        }
        j.boolean("fits", p.fits);
        j.endObject();
    }
    j.endArray();
}

} // namespace flight::reports
