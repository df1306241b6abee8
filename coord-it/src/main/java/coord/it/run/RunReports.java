package coord.it.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import coord.it.fault.EpisodeStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Writes a run's {@code report.json} and {@code report.md}. */
final class RunReports {
  static final String JSON = "report.json";
  static final String MARKDOWN = "report.md";

  private RunReports() {}

  static void write(RunResult r, Path dir) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(JSON).toFile(), r);
    Files.writeString(dir.resolve(MARKDOWN), markdown(r));
  }

  static String markdown(RunResult r) {
    StringBuilder md = new StringBuilder();
    md.append("# Fault run: ").append(r.ok() ? "PASS" : "FAIL").append("\n\n");
    md.append("| | |\n|---|---|\n");
    row(md, "seed", Long.toString(r.seed()));
    row(md, "failpoint", r.failpoint() == null ? "none" : r.failpoint());
    row(md, "network", r.network());
    row(md, "fault time", r.faultSeconds() + " s");
    row(md, "wall time", String.format(Locale.ROOT, "%.0f s", r.wallSeconds()));
    row(md, "fault kinds", String.join(", ", r.enabledFaults()));
    row(md, "left out", r.skippedFaults().isEmpty() ? "none" : String.join("; ", r.skippedFaults()));
    row(md, "members' digests", (r.digestsEqual() ? "equal " : "DIFFERENT ") + r.digests() + " at applied index "
        + r.appliedIndex());
    row(md, "write after kill -9 of all members", r.restartWriteMs() < 0 ? "none" : r.restartWriteMs() + " ms");
    md.append("\n## Operations\n\n| workload | operations |\n|---|---:|\n");
    r.operations().forEach((w, n) -> md.append("| ").append(w).append(" | ").append(n).append(" |\n"));
    md.append("\n## Checks\n\n| workload | checker | verdict | operations | anomalies | summary |\n|---|---|---|---:|---:|---|\n");
    for (RunResult.WorkloadCheck c : r.checks()) {
      md.append("| ").append(c.workload()).append(" | ").append(c.result().checker()).append(" | ")
          .append(c.result().ok() ? "ok" : "**FAIL**").append(" | ").append(c.result().operations()).append(" | ")
          .append(c.result().anomalies()).append(" | ").append(cell(c.result().summary())).append(" |\n");
    }
    md.append("\n## Faults\n\n| kind | episodes | recovery after heal max / median (ms) | failover max / median (ms) |\n"
        + "|---|---:|---:|---:|\n");
    for (Map.Entry<String, RunResult.Recovery> e : r.recoveryByKind().entrySet()) {
      RunResult.Recovery rec = e.getValue();
      md.append("| ").append(e.getKey()).append(" | ").append(rec.episodes()).append(" | ")
          .append(rec.maxRecoveryMs()).append(" / ").append(rec.medianRecoveryMs()).append(" | ")
          .append(rec.maxFailoverMs() < 0 ? "-" : rec.maxFailoverMs() + " / " + rec.medianFailoverMs()).append(" |\n");
    }
    md.append("\n## Episodes\n\n| # | kind | targets | recovery (ms) | failover (ms) | error |\n|---:|---|---|---:|---:|---|\n");
    int i = 1;
    for (EpisodeStats e : r.episodes()) {
      md.append("| ").append(i++).append(" | ").append(e.kind()).append(" | ").append(e.targets()).append(" | ")
          .append(e.recoveryMs()).append(" | ").append(e.failoverMs() < 0 ? "-" : e.failoverMs()).append(" | ")
          .append(e.error() == null ? "" : cell(e.error())).append(" |\n");
    }
    md.append("\n## Problems\n\n");
    if (r.problems().isEmpty()) {
      md.append("none\n");
    } else {
      r.problems().forEach(p -> md.append("- ").append(p).append('\n'));
    }
    return md.toString();
  }

  private static void row(StringBuilder md, String key, String value) {
    md.append("| ").append(key).append(" | ").append(cell(value)).append(" |\n");
  }

  private static String cell(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }
}
