"""(Not named eql_*: the eql package imports every eql_* module on sys.path as an extension.)

Parses EQL queries with the Python `eql` package (Elasticsearch syntax) for
scripts/eql-crosscheck/run.ts. Reads a JSON array of query strings on stdin and
writes a JSON array of {"ok": true, "text": <eql's rendering>} or
{"ok": false, "error": <first line of the error>}."""
import json
import sys

from eql.parser import elasticsearch_syntax, parse_query, skip_optimizations



def main() -> None:
    results = []
    for source in json.load(sys.stdin):
        try:
            with elasticsearch_syntax, skip_optimizations:
                results.append({"ok": True, "text": str(parse_query(source))})
        except Exception as e:  # noqa: BLE001 - any failure is a parse verdict here
            results.append({"ok": False, "error": f"{type(e).__name__}: {str(e).splitlines()[0]}"})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
