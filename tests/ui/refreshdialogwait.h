#pragma once

#include "ui/refresh/refreshdialog.h"
#include "ui/refresh/refreshview.h"

#include <QTest>

namespace envsync::uitest {

/// The Refresh dialog `view` opened, once it is shown and its plan is in; nullptr on timeout.
inline ui::RefreshDialog *waitForRefreshPlan(ui::RefreshView *view, int timeoutMs)
{
    const bool ready = QTest::qWaitFor(
            [view] {
                return view->refreshDialog() && view->refreshDialog()->isVisible()
                       && !view->refreshDialog()->isPlanning();
            },
            timeoutMs);
    return ready ? view->refreshDialog() : nullptr;
}

} // namespace envsync::uitest
