#pragma once

#include "core/cdc/runstate.h"
#include "core/config/config.h"
#include "core/error.h"
#include "core/job/canceltoken.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace envsync::cdc {

struct RunOptions
{
    std::vector<std::string> regions; ///< empty: every region CDC streams into
    /// Return once every region has applied everything the source had committed when the run
    /// started (for scripts and tests).
    bool untilCaughtUp = false;
    /// Stops the run: the reader finishes the transaction it is receiving, each applier the
    /// batch it is applying; then the run returns normally.
    std::shared_ptr<job::CancelToken> stop;
    /// One line per change of a region's or the reader's state ("eu: streaming").
    std::function<void(const std::string &line)> log;
};

struct RunSummary
{
    ReaderFigures reader;
    std::vector<RegionFigures> regions;
    double seconds = 0;
};

/// The regions CDC streams into: those with `cdc` enabled, never a production one; `names`
/// narrows them (an unknown or excluded name is a Usage error naming it).
[[nodiscard]] Result<std::vector<const config::RegionConfig *>>
cdcRegions(const config::Config &config, const std::vector<std::string> &names);

/// `envsyncctl cdc run`: one stream reader (slot → masked spool) and one applier per region
/// (spool → region), until stopped or, with untilCaughtUp, until every region caught up.
/// Publishes the figures to envsync_control every second (cdc status reads them there), keeps
/// pause flags and refreshes in view, and prunes the spool back to what is still needed: the
/// oldest golden version a region holds or may be refreshed to, and the slowest region.
/// Fails when CDC is not initialised, when the reader fails (a column without a masking rule,
/// the source gone), and with untilCaughtUp when a region stopped with an error.
[[nodiscard]] Result<RunSummary> runCdc(const config::Config &config, const RunOptions &options);

} // namespace envsync::cdc
