# bash completion for newsform                            -*- shell-script -*-
# Installed as PREFIX/share/bash-completion/completions/newsform, where
# bash-completion loads it on first use; or source it from ~/.bashrc.
# Self-contained (no bash-completion helper is needed). Completes:
#   options; their values (--type, --encoding names, -j numbers, files);
#   --set KEY= and its values from the script's header ("-- --set KEY=A|B");
#   the SCRIPT word: script names (as newsform searches: $NEWSFORM_PATH,
#   then scripts/ and ../share/newsform/scripts/ beside the program), .lua
#   files and directories; the INPUT words: files and directories.

_newsform_options="-e --eval -o --output -j --jobs -k --keep-going --set
--type --encoding --max-input --sandbox --max-memory --timeout -v --verbose
--list --extract --mtime --max-entry-size --title --author --language
--list-scripts --inputs --shard --resume --stats --progress -q --quiet
--stream -h --help -V --version"

# Options that take a value (--extract takes two: BUNDLE DIR).
_newsform_takes_value() {
  case $1 in
    -e|--eval|-o|--output|-j|--jobs|--set|--type|--encoding|--max-input|\
    --max-memory|--timeout|--list|--extract|--mtime|--max-entry-size|\
    --title|--author|--language|--inputs|--shard|--stats) return 0 ;;
  esac
  return 1
}

_newsform_encodings="utf-8 utf-16 utf-16le utf-16be utf-32 utf-32le utf-32be
windows-1250 windows-1251 windows-1252 windows-1253 windows-1254 windows-1255
windows-1256 windows-1257 iso-8859-1 iso-8859-2 iso-8859-5 iso-8859-7
iso-8859-9 iso-8859-15 koi8-r koi8-u shift_jis euc-jp iso-2022-jp gbk gb18030
big5 euc-kr us-ascii"

# The script directories for the command word $1, in search order.
_newsform_script_dirs() {
  local bin d
  local -a path
  IFS=: read -r -a path <<<"${NEWSFORM_PATH-}"
  for d in "${path[@]}"; do [[ -n $d ]] && printf '%s\n' "$d"; done
  bin=$(type -P -- "${1:-newsform}" 2>/dev/null) || return 0
  [[ -n $bin ]] || return 0
  bin=$(readlink -f -- "$bin" 2>/dev/null || printf '%s' "$bin")
  bin=${bin%/*}
  printf '%s\n' "$bin/scripts" "$bin/../share/newsform/scripts"
}

# The script names found (NAME for NAME.lua), one a line.
_newsform_script_names() {
  local d f
  while IFS= read -r d; do
    for f in "$d"/*.lua; do
      [[ -f $f ]] || continue
      f=${f##*/}
      printf '%s\n' "${f%.lua}"
    done
  done < <(_newsform_script_dirs "$1")
}

# The file of script $2 (a path or a name) for command word $1.
_newsform_script_file() {
  local d
  if [[ $2 == */* || ( $2 == *.lua && -f $2 ) ]]; then
    [[ -f $2 ]] && printf '%s\n' "$2"
    return
  fi
  while IFS= read -r d; do
    if [[ -f $d/${2%.lua}.lua ]]; then
      printf '%s\n' "$d/${2%.lua}.lua"
      return
    fi
  done < <(_newsform_script_dirs "$1")
}

# The "-- --set KEY=VALUES  meaning" lines of a script's header: KEY=VALUES.
_newsform_set_specs() {
  [[ -n $1 && -r $1 ]] || return 0
  local line first=1
  while IFS= read -r line; do
    if [[ $first == 1 && $line == '#'* ]]; then first=0; continue; fi
    first=0
    [[ $line == --* ]] || break
    [[ $line == '-- --set '* ]] || continue
    line=${line#-- --set }
    printf '%s\n' "${line%%[[:space:]]*}"
  done <"$1"
}

# Adds its standard input's lines to COMPREPLY (names with spaces stay whole).
_newsform_add() {
  local line
  while IFS= read -r line; do COMPREPLY+=("$line"); done
}

_newsform() {
  local cmd=${COMP_WORDS[0]} i w
  # The words with "--opt=VALUE" and "--set KEY=VALUE" whole again: bash
  # splits them at '=' when COMP_WORDBREAKS has it (the default).
  local -a words=()
  local j=-1 glue=0
  for ((i = 0; i <= COMP_CWORD && i < ${#COMP_WORDS[@]}; i++)); do
    w=${COMP_WORDS[i]}
    if ((glue)); then
      words[j]+=$w; glue=0
    elif [[ $w == = ]] && ((j > 0)); then
      words[j]+=$w; glue=1
    else
      words[++j]=$w
    fi
  done
  ((COMP_CWORD >= ${#COMP_WORDS[@]})) && words[++j]=""
  local cur=${words[j]} cword=$j

  # Where are we? Skip option values; find the script; count positionals.
  local opt="" skip=0 script="" npos=0 eval=0 dashdash=0 extract=0 k c
  for ((i = 1; i < cword; i++)); do
    w=${words[i]}
    if ((skip > 0)); then
      skip=$((skip - 1))
      continue
    fi
    if ((dashdash == 0)) && [[ $w == -?* ]]; then
      case $w in
        --) dashdash=1 ;;
        --extract=*) skip=1; extract=1 ;;
        --*=*) ;;
        --*) _newsform_takes_value "$w" && skip=1
             [[ $w == --extract ]] && { skip=2; extract=1; }
             [[ $w == --eval ]] && eval=1 ;;
        *) # short options, clustered: -kv, -j4, -j 4, -e CODE
           for ((k = 1; k < ${#w}; k++)); do
             c=${w:k:1}
             [[ $c == e ]] && eval=1
             if [[ $c == [eoj] ]]; then
               ((k == ${#w} - 1)) && skip=1
               break
             fi
           done ;;
      esac
      continue
    fi
    ((npos == 0 && eval == 0)) && script=$w
    npos=$((npos + 1))
  done

  # The option whose value is being typed, and the text typed so far.
  local pre=""
  if ((skip > 0)); then
    opt=${words[cword-1]}
    [[ $opt == -[!-]* ]] && opt=-${opt: -1}     # -kj 4: -j
    [[ $opt == --extract=* ]] && opt=--extract-dir
    ((skip == 1 && cword >= 2)) && [[ ${words[cword-2]} == --extract ]] &&
      opt=--extract-dir
  elif [[ $cur == --*=* && $dashdash == 0 ]]; then
    opt=${cur%%=*}
    pre=$opt=
    cur=${cur#*=}
    _newsform_takes_value "$opt" || opt=-none
  fi

  COMPREPLY=()
  case $opt in
    --type)
      _newsform_add < <(compgen -P "$pre" -W "html text auto" -- "$cur") ;;
    --encoding)
      _newsform_add < <(compgen -P "$pre" -W "$_newsform_encodings" -- "$cur") ;;
    -j|--jobs)
      local n
      n=$(getconf _NPROCESSORS_ONLN 2>/dev/null) || n=4
      _newsform_add < <(compgen -P "$pre" -W "$(seq 1 "${n:-4}")" -- "$cur") ;;
    --set)
      local specs spec
      specs=$(_newsform_set_specs "$(_newsform_script_file "$cmd" "$script")")
      if [[ $cur == *=* ]]; then           # KEY=VALUE: values from A|B|C
        local key=${cur%%=*} values=""
        while IFS= read -r spec; do
          [[ ${spec%%=*} == "$key" ]] && values=${spec#*=}
        done <<<"$specs"
        [[ $values == *'|'* ]] && _newsform_add < <(compgen \
          -P "$pre$key=" -W "${values//|/ }" -- "${cur#*=}")
      else
        _newsform_add < <(compgen -P "$pre" -S = \
          -W "$(sed 's/=.*//' <<<"$specs")" -- "$cur")
        compopt -o nospace 2>/dev/null
      fi ;;
    --shard)
      _newsform_add < <(compgen -P "$pre" -W "slurm 0/" -- "$cur")
      compopt -o nospace 2>/dev/null ;;
    -o|--output|--list|--extract|--inputs|--stats)
      compopt -o filenames 2>/dev/null
      _newsform_add < <(compgen -P "$pre" -f -- "$cur") ;;
    --extract-dir)
      compopt -o filenames 2>/dev/null
      _newsform_add < <(compgen -d -- "$cur") ;;
    ?*) ;;                                 # free text: -e CODE, --title...
    *)
      if [[ $cur == -* ]] && ((dashdash == 0)); then
        _newsform_add < <(compgen -W "$_newsform_options" -- "$cur")
      elif ((npos == 0 && eval == 0 && extract == 0)); then
        # SCRIPT: a script's name, a .lua file, a directory.
        compopt -o filenames 2>/dev/null
        [[ $cur != */* ]] && _newsform_add < <(compgen -W \
          "$(_newsform_script_names "$cmd" | sort -u)" -- "$cur")
        _newsform_add < <(compgen -f -X '!*.lua' -- "$cur")
        _newsform_add < <(compgen -d -- "$cur")
      else
        compopt -o filenames 2>/dev/null
        _newsform_add < <(compgen -f -- "$cur")
      fi ;;
  esac

  # bash replaces only the text after the last '=' (a word break): drop
  # what comes before it from the replies.
  local typed=${words[cword]}
  if [[ $typed == *=* && $COMP_WORDBREAKS == *=* ]]; then
    local head=${typed%"${typed##*=}"}
    for i in "${!COMPREPLY[@]}"; do
      COMPREPLY[i]=${COMPREPLY[i]#"$head"}
    done
  fi
  return 0
}

complete -F _newsform newsform
