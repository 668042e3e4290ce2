#!/usr/bin/env bash
# Rerunnable conversations benchmark: the rooms benchmark's harness (release server in target/bench,
# a fresh SQLite database or a throwaway Postgres cluster with --postgres) with
# `server/benches/conversations.rs`: N buyer–seller conversations (default 1000), each open on two
# WebSockets (buyer and seller), then M messages per conversation over HTTP, taking turns.
#   bash .ci/bench-conversations.sh [conversations] [--postgres] [--messages 4] [--in-flight 20]
BENCH=conversations COUNT_FLAG=--conversations exec bash "$(dirname "$0")/bench-rooms.sh" "$@"
