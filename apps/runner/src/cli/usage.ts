/** The help text: every command and option, one line each. */
export const USAGE = `Usage: trading-orchestrator [command] [options]

Commands:
  backtest            with --config <file>: the backtest the YAML or JSON file describes; without: the default
                      job, an offline backtest of the reference strategies (ma-crossover, rsi-mean-reversion,
                      bollinger-reversion) with risk-guards and risk-var on real daily SPY and BTC/USD shipped
                      with the runner, against buying and holding them
  paper --config <file>  a paper session (mode: paper): warm-up on recent history, then the data plugin's live
                      closed bars through the same engine and paper broker, until Ctrl-C or --bars
  live --config <file>   a live session (mode: live): as paper, with the run file's venue broker placing real orders;
                      it says which venue and account first, needs live: { confirm: true } or --confirm-live, and
                      reconciles with the venue before its first bar
  run --config <file>    backtest or paper, as the file's mode says
  plugins list        list the plugins discovered for this project
  plugins info <id>   a plugin's package, status and config schema with defaults
  plugins validate <dir>  check a plugin folder the way discovery and loading will; every problem listed
  init [file]         write a commented starter run file (default run.yaml; --force to overwrite)
  data download --config <file>  fill the history cache with what the file's backtest reads (start to end), so
                      later runs read it from disk (historyCache: in the file says where; default
                      .trading-orchestrator/history beside it)
  optimize --config <file>  search the settings of the file's strategies for the best objective (its optimize:
                      section: grid, random or tpe search, constraints, walk-forward windows), with the deflated
                      Sharpe ratio and the probability of backtest overfitting beside the result; trials are
                      journaled, and the same command resumes an interrupted sweep (--new-sweep starts over);
                      writes trading-orchestrator-optimize.html (--report, --no-report)
  check-strategy --config <file>  run the file's backtest cut at many points (--cuts, default 10) and flag every
                      signal that changes when the later bars are removed (look-ahead: exit 1), then start it later
                      and flag signals that still depend on the history before the warm-up (--strategy <id>: one)
  worker --queue redis://host:port  run sweep trials from the queue (optimize --queue) until Ctrl-C, with the plugins
                      installed here; each run's bars are fetched once (--lock-ms: how long a dead worker's trial
                      waits before another takes it, default 30000)
  ctl status|positions|orders|signals|denials|plugins|health [<id>]|risk|shadow|halt|resume|flatten|stop|disable <id>|enable <id>|reload <id>|dashboard --config <file>
                      act on the running paper session of that run file through its control API (halt: deny
                      new entries, exits go on; flatten: halt, cancel working orders and close every position at
                      the next bar; stop: end it after the bar in progress; reload: swap a plugin for the newest
                      version installed, its state handed over; dashboard: print the dashboard's link with its
                      token; health <id>: that plugin's recent checks; --json: raw answers)
  compare --config <file>  a paper or live session of that run file (its latest, or --run <id>) beside a backtest
                      of the same bars with the paper broker: its fills, execution by execution, against the
                      backtest's (price difference in bps and money, fees), and what only one of them did
  journal list        the runs in the journal
  journal export <run> [--what trades|equity|ignored|problems|trials] [--strategy <id>] [--format csv|json]
                      ignored: the signals the engine did not act on, each with its reason; problems: plugin
                      failures, refused bars and breaker trips; trials: an optimisation's trials, one row each

Run options:
  --config <file>       a run config (YAML or JSON, \${ENV_VAR} and \${ENV_VAR:-default} are replaced)
  --journal <file>      the SQLite journal (default trading-orchestrator.db; needs @trading-orchestrator/journal)
  --no-journal          keep no journal
  --report <file>       the HTML report (default trading-orchestrator-report.html)
  --no-report           write no report
  --bars <n>            paper: end the session after n live closed bars
  --new-session         paper: start a new session even if the journal holds an unfinished one for this config
                        (it is marked interrupted and kept); without it, that session is resumed
  --new-sweep           optimize: start over even if the journal holds an unfinished sweep of this file
  --workers <n|auto>    optimize: worker threads for the trials (default: optimize.workers, auto = one per core)
  --queue <redis-url>   optimize: put the trials on this Redis queue for \`worker\` processes on any machine

Discovery options:
  --project <dir>       the project whose dependencies are searched (default: nearest package.json)
  --plugin-path <dir>   a plugin package folder to include (repeatable)
  --plugin-dir <dir>    a folder that holds plugin packages (repeatable)
  --no-cache            ignore and do not write the discovery cache
  --json                print machine-readable JSON

Environment:
  TRADING_ORCHESTRATOR_PLUGINS   extra plugin package folders, separated like PATH

  -h, --help      show this help
  -v, --version   show versions`;
