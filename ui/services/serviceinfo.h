#pragma once

#include "core/virt/recorder.h"
#include "core/virt/requestjournal.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <cstdint>
#include <vector>

namespace envsync::ui {

/// What the Services view knows of one configured virtual service (a copy: the worker that
/// owns the servers sends a new one whenever something changes).
struct ServiceInfo
{
    enum class State { Stopped, Starting, Serving, Stopping, Recording, Failed };

    QString name;
    QString region; ///< empty: the service names no region
    QString listen; ///< as configured
    QString upstream;
    QString mappingsDir; ///< the service's `mappings:` folder (absolute)
    State state = State::Stopped;
    QString address; ///< host:port bound while serving or recording
    quint16 port = 0;
    QString version;         ///< the golden version served or recorded ("" for a plain root)
    QString root;            ///< the WireMock root served or recorded into
    QString warning;         ///< why that version and not the region's own
    QString error;           ///< why the last start / recording failed
    qsizetype mappings = -1; ///< loaded at the last start; -1 before any
    std::uint64_t requests = 0;
    std::uint64_t unmatched = 0;
    int recorded = 0; ///< exchanges recorded in the current recording
    int refused = 0;  ///< exchanges refused (personal data) or not written

    [[nodiscard]] bool isRunning() const
    {
        return state == State::Serving || state == State::Recording;
    }
    [[nodiscard]] bool isBusy() const
    {
        return state == State::Starting || state == State::Stopping;
    }
};

/// "Stopped", "Serving", … (the CLI's words, capitalised).
[[nodiscard]] QString serviceStateText(ServiceInfo::State state);

/// A mapping opened from the journal: its WireMock JSON and the file it was loaded from.
struct MappingDocument
{
    QString service;
    QString mappingId;
    QString json;  ///< indented; empty when not found
    QString file;  ///< absolute path; empty when the mapping came from the admin API
    QString error; ///< why nothing is shown
};

} // namespace envsync::ui

Q_DECLARE_METATYPE(envsync::ui::ServiceInfo)
Q_DECLARE_METATYPE(envsync::ui::MappingDocument)
Q_DECLARE_METATYPE(std::vector<envsync::virt::JournalEntry>)
Q_DECLARE_METATYPE(envsync::virt::RecordingEvent)
