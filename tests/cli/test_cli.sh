#!/bin/sh
# test_cli.sh: the newsform command: options, scripts, inputs, outputs,
# ordering, errors and exit statuses.
. "$(dirname "$0")/lib.sh"
F=$(cd "$(dirname "$0")/../fixtures/cli" && pwd)
cd "$T_TMP" || exit 2

rc_is() { expect_eq "$1 (exit status)" "$RC" "$2"; }

# ---- --version, --help -------------------------------------------------
run --version
expect_eq "--version" "$(printf '%s\n' "$OUT" | sed -n 1p)" "newsform 0.1.0"
rc_is "--version" 0
run -V
expect_eq "-V" "$(printf '%s\n' "$OUT" | sed -n 1p)" "newsform 0.1.0"
run --help
rc_is "--help" 0
missing=""
for opt in --eval --output --jobs --keep-going --set --type --encoding \
    --max-input --sandbox --max-memory --timeout --verbose --list --extract \
    --mtime --max-entry-size --help --version; do
  printf '%s' "$OUT" | grep -q -- "$opt" || missing="$missing $opt"
done
expect_eq "--help lists every option" "$missing" ""
expect_match "--help shows usage" "$OUT" "^Usage: newsform \[OPTIONS\] SCRIPT"

# ---- -e and results ----------------------------------------------------
run -e 'return doc.title' "$F/a.html"
expect_eq "-e returns the title" "$OUT" "Fixture A"
rc_is "-e" 0
run -e 'return #doc:select("p")' "$F/a.html" "$F/b.txt"
expect_eq "-e counts paragraphs, one line per input" "$OUT" "2
2"
run -e 'return doc:select_one("p.lead")' "$F/a.html"
expect_eq "a node is written as HTML" "$OUT" '<p class="lead">First paragraph.</p>'
run -e 'return doc' "$F/a.html"
expect_match "a document is written as HTML" "$OUT" "^(<!DOCTYPE html>)?.*<html>"
expect_match "document HTML has the body" "$OUT" "<h1>Heading A</h1>"
run -e 'return nil' "$F/a.html" "$F/b.txt"
expect_eq "nil writes nothing" "$(wc -c <"$T_TMP/out" | tr -d ' ')" "0"
run -e 'return "no newline"' "$F/a.html"
expect_eq "a newline is added when missing" "$(od -An -c "$T_TMP/out" | tr -d ' \n')" 'nonewline\n'
run -e 'return "has one\n"' "$F/a.html"
expect_eq "no second newline" "$(wc -l <"$T_TMP/out" | tr -d ' ')" "1"
run -e 'print("printed", ctx.index) return "returned"' "$F/a.html" "$F/b.txt"
expect_eq "print() goes with the article's output, in order" "$OUT" "printed	1
returned
printed	2
returned"
run -e 'return {}' "$F/a.html"
expect_eq "a table result is written as JSON (issue 9)" "$RC:$OUT" "0:[]"
run -e 'return print' "$F/a.html"
rc_is "a function result fails" 1
expect_eq "a function result: message" "$ERR" "newsform: -e: process returned a function (expected a string, a number, a table, a node, a document or nil) (while processing $F/a.html)"
run -e 'return ctx.input .. " " .. ctx.index' "$F/a.html" "$F/b.txt"
expect_eq "ctx.input and ctx.index" "$OUT" "$F/a.html 1
$F/b.txt 2"

# ---- GNU-style option placement ----------------------------------------
run -o "$T_TMP/x1.txt" -e 'return doc.title' "$F/a.html"
run -e 'return doc.title' "$F/a.html" -o "$T_TMP/x2.txt"
expect_eq "-o before and after inputs: same file" "$(cat x1.txt)" "$(cat x2.txt)"
expect_eq "-o wrote the result" "$(cat x2.txt)" "Fixture A"
run "$F/shebang.lua" -o x3.txt "$F/a.html"
run -o x4.txt "$F/shebang.lua" "$F/a.html"
expect_eq "SCRIPT -o OUT INPUT == -o OUT SCRIPT INPUT" "$(cat x3.txt)" "$(cat x4.txt)"
expect_eq "shebang line skipped" "$(cat x3.txt)" "shebang ok: Fixture A"
run --output=x5.txt --eval='return doc.title' -j1 "$F/a.html"
expect_eq "--opt=value and -jN forms" "$(cat x5.txt)" "Fixture A"
run -kv -e 'return "kv"' "$F/a.html"
expect_eq "bundled short flags -kv" "$OUT" "kv"
cp "$F/a.html" ./-dash.html
run -e 'return doc.title' -- -dash.html
expect_eq "-- ends options" "$OUT" "Fixture A"
run -e 'return doc.title' -dash.html
rc_is "an unknown short option before --" 2

# ---- script lookup -----------------------------------------------------
NEWSFORM_PATH="/nonexistent:$F/scripts" run hello "$F/a.html"
expect_eq "script found by name in NEWSFORM_PATH" "$OUT" "hello Fixture A"
NEWSFORM_PATH="$F/scripts" run hello.lua "$F/a.html"
expect_eq "NAME.lua also looked up" "$OUT" "hello Fixture A"
mkdir -p inst/bin/scripts inst/share/newsform/scripts
cp "$NEWSFORM" inst/bin/newsform
printf 'function process(doc) return "beside the binary" end\n' >inst/bin/scripts/where.lua
printf 'function process(doc) return "in share" end\n' >inst/share/newsform/scripts/share.lua
out=$(env -u NEWSFORM_PATH inst/bin/newsform where "$F/a.html" 2>&1)
expect_eq "script found in <exe dir>/scripts" "$out" "beside the binary"
out=$(env -u NEWSFORM_PATH inst/bin/newsform share "$F/a.html" 2>&1)
expect_eq "script found in <exe dir>/../share/newsform/scripts" "$out" "in share"
out=$(NEWSFORM_PATH="$F/scripts" inst/bin/newsform where "$F/a.html" 2>&1)
expect_eq "NEWSFORM_PATH does not hide the other places" "$out" "beside the binary"
rm -rf inst
run no-such-script "$F/a.html"
rc_is "unknown script" 2
expect_eq "unknown script: message" "$ERR" "newsform: script 'no-such-script' not found (neither a file nor a shipped script; see NEWSFORM_PATH)
Try 'newsform --help' for more information."
run ./missing.lua "$F/a.html"
rc_is "missing script file" 1
expect_eq "missing script file: message" "$ERR" "newsform: ./missing.lua: No such file or directory"

# ---- scripts that load wrong --------------------------------------------
run "$F/none.lua" "$F/a.html"
rc_is "no process and no recipe" 1
expect_eq "no process: message" "$ERR" "newsform: $F/none.lua: the script defines no process(doc, ctx) function and returns no recipe table (while loading the script)"
run "$F/returns_string.lua" "$F/a.html"
rc_is "returning a string" 1
expect_match "returning a string: message" "$ERR" "the script returned a string"
run "$F/syntax_error.lua" "$F/a.html"
rc_is "syntax error" 1
expect_match "syntax error names file and line" "$ERR" "^newsform: $F/syntax_error.lua:3: unexpected symbol near 'end'"
run "$F/none.lua" </dev/null
rc_is "load errors even without inputs to process" 1
run "$F/recipe.lua" "$F/a.html"
rc_is "a recipe table runs" 0
expect_match "a recipe's result is the document's HTML" "$OUT" "<title>Fixture A</title>"
case "$OUT" in *"First paragraph"*) not_ok "the recipe's remove ran" "$OUT" ;; *) ok "the recipe's remove ran" ;; esac
expect_match "the rest of the body stays" "$OUT" "<p>Second paragraph.</p>"

# ---- begin / finish ----------------------------------------------------
run "$F/begin_finish.lua" "$F/a.html" "$F/b.txt" "$F/c.html.gz"
expect_eq "begin, process, finish (one worker when finish is defined)" "$OUT" "begin 1/1
finish 3: Fixture A, Fixture B Title, Fixture C (gzipped)"
run -j 2 "$F/begin_finish.lua" "$F/a.html" "$F/b.txt" "$F/c.html.gz" "$F/a.html"
expect_match "-j 2: begin runs in each worker" "$OUT" "^begin 1/2
begin 2/2
finish"
expect_eq "-j 2: two finish lines" "$(printf '%s\n' "$OUT" | grep -c '^finish')" "2"
mkdir empty
run "$F/begin_finish.lua" empty
expect_eq "an empty directory: begin and finish still run" "$OUT" "begin 1/1
finish 0: "
rc_is "an empty directory" 0

# ---- ordered output with many inputs -------------------------------------
write_pages many 300 '<title>t%d</title><p>%d</p>\n'
run -j 4 -e 'local n = tonumber(doc.title:sub(2)) if n % 7 == 0 then local x = 0 for i = 1, 20000 do x = x + i end end return doc.title' many
expect_eq "-j 4: 300 results" "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" "300"
want=$(i=1; while [ $i -le 300 ]; do echo "t$i"; i=$((i + 1)); done)
expect_eq "-j 4: results in input order" "$OUT" "$want"
run -j 3 -e 'local t = os.clock() while os.clock() - t < 0.01 do end return ctx.worker' many/p00[0-5]*.html
expect_eq "-j 3: three workers took part" "$(printf '%s\n' "$OUT" | sort -u | tr '\n' ' ')" "1 2 3 "

# ---- inputs --------------------------------------------------------------
run -e 'return doc.title' "$F/c.html.gz"
expect_eq "gzip input by magic bytes" "$OUT" "Fixture C (gzipped)"
cp "$F/c.html.gz" ./renamed.txt
run -e 'return doc.title' renamed.txt
expect_eq "gzip found whatever the name" "$OUT" "Fixture C (gzipped)"
"$NEWSFORM" -e 'return ctx.input .. ": " .. doc.title' - <"$F/a.html" >out 2>err
expect_eq "- reads standard input" "$(cat out)" "<stdin>: Fixture A"
"$NEWSFORM" -e 'return doc.title' <"$F/c.html.gz" >out 2>err
expect_eq "no INPUT: standard input (gzipped too)" "$(cat out)" "Fixture C (gzipped)"
mkdir -p tree/sub tree/.hidden
cp "$F/a.html" tree/b.html
cp "$F/b.txt" tree/a.txt
cp "$F/c.html.gz" tree/sub/c.html.gz
cp "$F/a.html" tree/.hidden/x.html
cp "$F/a.html" tree/.dot.html
run -e 'return ctx.input' tree
expect_eq "directories: sorted, recursive, hidden skipped" "$OUT" "tree/a.txt
tree/b.html
tree/sub/c.html.gz"
run --type text -e 'return doc.type' "$F/a.html"
expect_eq "--type text" "$OUT" "text"
run --type html -e 'return doc.type' "$F/b.txt"
expect_eq "--type html" "$OUT" "html"
run --type=auto -e 'return doc.type' "$F/b.txt"
expect_eq "--type auto sniffs text" "$OUT" "text"
run --encoding ISO-8859-1 -e 'return doc.title .. " " .. doc:select_one("p").text' "$F/latin1.html"
expect_eq "--encoding ISO-8859-1" "$OUT" "Café naïve"
head -c 3000 /dev/zero | tr '\0' 'x' >big.txt
run --max-input 0.001 -e 'return "read"' big.txt
rc_is "--max-input exceeded" 1
expect_eq "--max-input message" "$ERR" "newsform: big.txt: input exceeds the size limit (1048 bytes)"
run --max-input 1 -e 'return "read"' big.txt
expect_eq "--max-input large enough" "$OUT" "read"
run --set n=3 --set name=x=y --set n=5 "$F/options.lua" "$F/a.html"
expect_eq "--set: ctx.options, later wins, '=' in values" "$OUT" "n=5;name=x=y"
run "$F/options.lua" "$F/a.html"
expect_eq "no --set: empty ctx.options" "$OUT" ""

# ---- errors and --keep-going ---------------------------------------------
run -e 'return doc.title' "$F/a.html" missing.html "$F/b.txt"
rc_is "missing input stops the run" 1
expect_eq "missing input: earlier results written" "$OUT" "Fixture A"
expect_eq "missing input: message" "$ERR" "newsform: missing.html: No such file or directory"
run -k -e 'return doc.title' "$F/a.html" missing.html "$F/b.txt" nodir/
rc_is "--keep-going exits 1" 1
expect_eq "--keep-going processes the rest" "$OUT" "Fixture A
Fixture B Title"
expect_eq "--keep-going counts failures" "$ERR" "newsform: missing.html: No such file or directory
newsform: nodir/: No such file or directory
newsform: 2 of 4 inputs failed"
run "$F/runtime_error.lua" "$F/a.html" "$F/b.txt" "$F/c.html.gz"
rc_is "script error" 1
expect_eq "script error: message with line and input" "$ERR" "newsform: $F/runtime_error.lua:4: no luck with $F/b.txt (while processing $F/b.txt)"
expect_eq "script error: stops after the failure" "$OUT" "Fixture A"
run --keep-going "$F/runtime_error.lua" "$F/a.html" "$F/b.txt" "$F/c.html.gz"
expect_eq "script error with --keep-going" "$OUT" "Fixture A
Fixture C (gzipped)"
expect_match "script error with --keep-going: count" "$ERR" "1 of 3 inputs failed$"
run -e 'return doc:select("p[")' "$F/a.html"
expect_match "errors raised in C get the script position" "$ERR" "^newsform: -e:1: .*p\[.* \(while processing $F/a.html\)$"
run -e 'error({})' "$F/a.html"
expect_eq "non-string error object" "$ERR" "newsform: -e:1: (error object is a table value) (while processing $F/a.html)"
run -e 'error(setmetatable({}, {__tostring = function() return "custom" end}))' "$F/a.html"
expect_eq "error object with __tostring" "$ERR" "newsform: -e:1: custom (while processing $F/a.html)"
run -e 'error("x", 0)' "$F/a.html"
expect_eq "error without position gets one" "$ERR" "newsform: -e:1: x (while processing $F/a.html)"
run -e 'local function f() error("deep") end f()' "$F/a.html"
expect_eq "no traceback by default" "$(printf '%s\n' "$ERR" | wc -l | tr -d ' ')" "1"
run -v -e 'local function f() error("deep") end f()' "$F/a.html"
expect_match "--verbose adds a traceback" "$ERR" "stack traceback:"
expect_match "--verbose keeps the input on the first line" "$(printf '%s\n' "$ERR" | head -1)" "deep \(while processing"
printf 'not really gzip' >cut.gz
printf '\037\213\010\000\000\000\000\000\000\003' >cut.gz
run -e 'return 1' cut.gz
expect_eq "truncated gzip input" "$ERR" "newsform: cut.gz: truncated gzip data"
if [ "$(id -u)" != 0 ]; then
  cp "$F/a.html" secret.html && chmod 000 secret.html
  run -e 'return 1' secret.html
  expect_eq "unreadable input" "$ERR" "newsform: secret.html: Permission denied"
else
  skip "unreadable input (running as root)"
fi

# ---- usage errors --------------------------------------------------------
usage() { # NAME EXPECTED-MESSAGE ARGS...
  name=$1 msg=$2; shift 2
  run "$@"
  expect_eq "usage: $name" "$RC:$ERR" "2:newsform: $msg
Try 'newsform --help' for more information."
}
usage "unknown long option" "unknown option '--frobnicate'" --frobnicate -e 1 "$F/a.html"
usage "unknown short option" "unknown option '-z'" -z
usage "missing value" "option '--timeout' needs a value" -e 'return 1' --timeout
usage "bad -j" "invalid value 'many' for --jobs (expected a number from 1 to 256)" -j many -e 1
usage "fractional -j" "invalid value '1.5' for --jobs (expected a whole number)" -j 1.5 -e 1
usage "bad --timeout" "invalid value '-1' for --timeout (expected a number from 0.001 to 1e+07)" --timeout -1 -e 1
usage "bad --type" "invalid value 'pdf' for --type (expected html, text or auto)" --type pdf -e 1
usage "--set without =" "invalid value 'novalue' for --set (expected KEY=VALUE)" --set novalue -e 1
usage "value given to a flag" "option '--sandbox' takes no value" --sandbox=yes -e 1
usage "no script" "no SCRIPT given (or -e CODE)"
usage "-e twice" "-e given twice" -e 1 -e 2
usage "unknown encoding" "unknown encoding 'NOPE'" --encoding NOPE -e 1 "$F/a.html"

# ---- -o FILE and -o DIR/ -------------------------------------------------
run -o out.txt -e 'return doc.title' "$F/a.html" "$F/b.txt"
expect_eq "-o FILE: all results" "$(cat out.txt)" "Fixture A
Fixture B Title"
expect_eq "-o FILE: nothing on stdout" "$OUT" ""
expect_eq "-o FILE: no temporary file left" "$(ls -a | grep -c newsform-tmp)" "0"
run -o failed.txt -e 'return doc.title' "$F/a.html" missing.html
expect_eq "-o FILE: a failed run leaves no file" "$(ls failed.txt 2>/dev/null)" ""
expect_eq "-o FILE: and no temporary file" "$(ls -a | grep -c newsform-tmp)" "0"
run -k -o kept.txt -e 'return doc.title' "$F/a.html" missing.html
expect_eq "-o FILE with --keep-going keeps the successes" "$(cat kept.txt)" "Fixture A"
run -o outdir/ "$F/names.lua" "$F/a.html" "$F/b.txt" "$F/c.html.gz" tree/b.html
expect_eq "-o DIR/: names from ctx.name/ctx.ext or the input" "$(ls outdir | tr '\n' ' ')" "b-2.txt b.txt c.txt first-article.md "
run -o outdir2/ -e 'if ctx.index == 3 then return "{\"a\": 1}" end return doc:select_one("p")' "$F/a.html" tree/b.html "$F/b.txt"
expect_eq "-o DIR/: extension guessed, names de-duplicated" "$(ls outdir2 | tr '\n' ' ')" "a.html b.html b.json "
expect_eq "-o DIR/: file content" "$(cat outdir2/a.html)" '<p class="lead">First paragraph.</p>'
mkdir existing
run -o existing -e 'return "x"' "$F/a.html"
expect_eq "-o an existing directory without /" "$(cat existing/a.txt)" "x"

# ---- bundles: -o X.zip|.tar.gz|.jsonl.gz|.epub, --list, --extract ---------
run -o out.zip -e 'if ctx.index == 2 then ctx.published = "2024-05-01" end return doc.title' "$F/a.html" "$F/b.txt" tree
rc_is "-o out.zip" 0
run --list out.zip
expect_eq "--list: entries in input order, names from the inputs" "$OUT" "a.txt
b.txt
a-2.txt
b-2.txt
sub/c.txt
manifest.json"
if command -v unzip >/dev/null 2>&1; then
  expect_eq "the zip passes unzip -t" "$(unzip -tq out.zip 2>&1)" "No errors detected in compressed data of out.zip."
  expect_match "entry time from ctx.published" "$(unzip -l out.zip | grep ' b.txt$' | head -1)" "2024-05-01 00:00"
  expect_match "other entries: the fixed epoch" "$(unzip -l out.zip | grep ' a.txt$' | head -1)" "1980-01-01 00:00"
else
  skip "unzip not installed"; skip "unzip not installed"; skip "unzip not installed"
fi
"$NEWSFORM" -e 'return doc.title' -o again.zip "$F/a.html" "$F/b.txt" tree </dev/null
"$NEWSFORM" -e 'return doc.title' -o again2.zip "$F/a.html" "$F/b.txt" tree </dev/null
expect_eq "bundles are reproducible" "$(cmp again.zip again2.zip && echo same)" "same"
run --mtime 2020-02-02 -o mtime.zip -e 'ctx.published = "2024-05-01" return doc.title' "$F/a.html"
if command -v unzip >/dev/null 2>&1; then
  expect_match "--mtime sets entry times" "$(unzip -l mtime.zip | grep ' a.txt$')" "2020-02-02"
else
  skip "unzip not installed"
fi
run --extract out.zip extracted
expect_eq "--extract writes every entry" "$RC:$(cd extracted && find . -type f | sort | tr '\n' ' ')" "0:./a-2.txt ./a.txt ./b-2.txt ./b.txt ./manifest.json ./sub/c.txt "
expect_eq "--extract: content" "$(cat extracted/sub/c.txt)" "Fixture C (gzipped)"
run -k -o kept.tar.gz -e 'return doc' "$F/a.html" missing.html
expect_eq "-o .tar.gz with --keep-going" "$RC:$(tar tzf kept.tar.gz | tr '\n' ' ')" "1:a.html manifest.json "
expect_match "the manifest lists the failure" "$(tar xzOf kept.tar.gz manifest.json)" '\{"source": "missing.html", "error": "missing.html: No such file or directory"\}'
run -o failed.zip -e 'return doc.title' "$F/a.html" missing.html
expect_eq "a failed run leaves no bundle and no temporary file" "$(ls -a | grep -c 'failed.zip')" "0"
run -o out.jsonl.gz -e 'return doc.title' "$F/a.html"
expect_match "-o .jsonl.gz" "$(gzip -dc out.jsonl.gz)" '^\{"name":"a.txt","source":"'
run -o book.epub -e 'return doc.body' "$F/a.html" "$F/b.txt"
expect_match "-o .epub: one chapter per article" "$RC:$("$NEWSFORM" --list book.epub | grep -c 'ch00[12].xhtml')" "^0:2$"
if command -v python3 >/dev/null 2>&1; then
  python3 - <<'PY'
import io, tarfile
for name, kind in (("evil-dotdot.tar.gz", "dotdot"), ("evil-link.tar.gz", "link")):
    with tarfile.open(name, "w:gz") as t:
        def add(n, data=b"x"):
            i = tarfile.TarInfo(n); i.size = len(data); t.addfile(i, io.BytesIO(data))
        add("ok.txt")
        if kind == "dotdot":
            add("../escaped.txt")
        else:
            i = tarfile.TarInfo("link"); i.type = tarfile.SYMTYPE; i.linkname = "/etc"; t.addfile(i)
            add("link/passwd")
PY
  run --extract evil-dotdot.tar.gz ex1
  expect_match "--extract refuses '..'" "$RC:$ERR" "^1:newsform: evil-dotdot.tar.gz: refusing entry '../escaped.txt'"
  expect_eq "nothing escaped" "$(ls ../escaped.txt 2>/dev/null)" ""
  run --extract evil-link.tar.gz ex2
  expect_match "--extract refuses links" "$RC:$ERR" "^1:newsform: evil-link.tar.gz: refusing entry 'link'"
else
  skip "python3 missing"; skip "python3 missing"; skip "python3 missing"
fi
mkdir -p ex3 && ln -s /nonexistent-target ex3/sub
run --extract out.zip ex3
expect_match "--extract refuses a path through a link inside DIR" "$RC:$ERR" "refusing entry 'sub/c.txt' \(ex3/sub is a symbolic link\)"
run --list missing.zip
expect_match "--list of a missing bundle" "$RC:$ERR" "^1:newsform: missing.zip"
usage "--list with a script" "--list takes no SCRIPT, -e or INPUT" --list out.zip -e 1
usage "--extract without DIR" "option '--extract' needs BUNDLE and DIR" --extract out.zip
usage "bad --mtime" "invalid value 'yesterday' for --mtime (expected Unix seconds or an ISO 8601 date)" --mtime yesterday -e 1

# ---- an interrupted run leaves nothing -----------------------------------
"$NEWSFORM" -o sig.txt -e 'while true do end' "$F/a.html" </dev/null >/dev/null 2>&1 &
pid=$!
n=0
while [ $n -lt 50 ] && [ "$(ls -a | grep -c 'sig.txt.newsform-tmp')" = 0 ]; do
  sleep 0.1; n=$((n + 1))
done
kill -INT $pid
wait $pid
rc=$?
expect_eq "SIGINT: killed by the signal" "$rc" "130"
expect_eq "SIGINT: no output and no temporary file" "$(ls -a | grep -c 'sig.txt')" "0"
