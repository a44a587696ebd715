#pragma once

#include <QFutureWatcher>
#include <QString>

namespace envsync::ui {

/// The watcher's single result, or an Outcome with `error` set when the worker gave none.
template<typename Outcome>
Outcome resultOf(QFutureWatcher<Outcome> *watcher, const char *what)
{
    if (watcher->future().resultCount() > 0)
        return watcher->result();
    Outcome outcome;
    outcome.error = QString::fromLatin1(what) + QStringLiteral(" returned nothing");
    return outcome;
}

} // namespace envsync::ui
