// Command ferretdb runs FerretDB v1.24.2 (a MongoDB-wire server) for the test suites, through
// FerretDB's embeddable package.
//
// Why not `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`: that binary panics at
// start ("Invalid build/version/version.txt") because FerretDB expects its own build scripts to
// generate that file whenever it is the main module. Here our module is the main module, so the
// check is skipped. The embedded server also has no telemetry and no debug HTTP listener, so
// parallel test runs never clash on a fixed port.
//
// Flags mirror the real CLI's names so launchers can pass the same arguments.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/build/version"
	"github.com/FerretDB/FerretDB/ferretdb"
)

// ferretVersion is the FerretDB release this module pins (go.mod). Reported by buildInfo as
// ferretdbVersion, which clients use to tell FerretDB 1.x (no TTL indexes) from MongoDB.
const ferretVersion = "v1.24.2"

func main() {
	handler := flag.String("handler", "sqlite", "backend handler: sqlite or postgresql")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite URI (a directory) for the sqlite handler")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL URL for the postgresql handler")
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	showVersion := flag.Bool("version", false, "print the version and exit")
	// Accepted for compatibility with the real CLI; the embedded server has neither.
	flag.String("telemetry", "disable", "ignored: the embedded server sends no telemetry")
	flag.String("state-dir", "", "ignored: the embedded server keeps no state files")
	flag.String("debug-addr", "", "ignored: the embedded server has no debug listener")
	flag.String("log-level", "warn", "log level: debug, info, warn or error")
	flag.Parse()

	if *showVersion {
		// The same first line as the real CLI, so launchers can check the version either way.
		fmt.Println("version: " + ferretVersion)
		fmt.Println("package: embedded, built for the sessions test suites")
		return
	}

	level := slog.LevelWarn
	_ = level.UnmarshalText([]byte(flag.Lookup("log-level").Value.String()))
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// The embedded package leaves the version "unknown": say which release this is.
	version.Get().Version = ferretVersion

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       *handler,
		SQLiteURL:     *sqliteURL,
		PostgreSQLURL: *postgresURL,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
