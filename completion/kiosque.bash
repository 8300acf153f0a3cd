# kiosque.bash: bash completion for kiosque(1): commands, options and their values.
# Installed to share/bash-completion/completions/kiosque (loaded on demand by
# bash-completion); or source it from ~/.bashrc.

_kiosque_styles()
{
    # the styles folder in use, as `kiosque config` reports it
    local dir
    dir=$("${1:-kiosque}" config --no-config 2>/dev/null | sed -n 's/^# styles: //p')
    [ -d "$dir" ] || return 0
    local f
    for f in "$dir"/*.css "$dir"/*.theme; do
        [ -e "$f" ] || continue
        f=${f##*/}
        printf '%s\n' "${f%.*}"
    done | sort -u
}

_kiosque_jobs()
{
    local dir="${XDG_STATE_HOME:-$HOME/.local/state}/kiosque" f
    for f in "$dir"/*.ids; do
        [ -e "$f" ] || continue
        f=${f##*/}
        printf '%s\n' "${f%.ids}"
    done
}

# _kiosque_files [GLOB-EXTENSIONS]: files (restricted to the extensions when
# given) and folders
_kiosque_files()
{
    local cur=$1 exts=${2:-} IFS=$'\n'
    if [ -n "$exts" ]; then
        local extglob_was
        extglob_was=$(shopt -p extglob)
        shopt -s extglob
        COMPREPLY=($(compgen -f -X "!*.@($exts)" -- "$cur") $(compgen -d -- "$cur"))
        eval "$extglob_was"
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
    compopt -o filenames 2>/dev/null
}

_kiosque()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion -s || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi

    local commands="export list check typo config"
    local cmd="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            export | list | check | typo | config) cmd=${words[i]}; break ;;
        esac
    done

    if [ -z "$cmd" ]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi

    local select="--since --until --month --week --topic --site --author --lang
        --reverse --group-by -g --edition-lang --max-input --strict --quiet -q
        --verbose -v --log-format --config --no-config --help --help-all"
    local settings="--format -f --output -o --split --title --style --css --theme
        --paper --columns --cover --max-size --no-clobber"
    local opts
    case $cmd in
        export) opts="$select $settings --embed-fonts --only-new --if-changed
                --progress --no-progress --max-image-pixels --lock-timeout" ;;
        list) opts="$select --json --body" ;;
        check) opts="$select" ;;
        typo) opts="--lang -l --hyphenate --hyphen-dir --help" ;;
        config) opts="$select $settings --show --path" ;;
    esac

    # values of the option before the cursor (also --opt=value)
    local opt=$prev
    if [[ $cur == --*=* ]]; then
        opt=${cur%%=*}
        cur=${cur#*=}
    elif [ "$cur" = "=" ]; then       # "--paper=" split by COMP_WORDBREAKS
        cur=""
    elif [ "$prev" = "=" ] && ((cword >= 2)); then
        opt=${words[cword - 2]}
    fi
    case $opt in
        --format | -f)
            local done_part="" last=$cur
            if [[ $cur == *,* ]]; then
                done_part=${cur%,*},
                last=${cur##*,}
            fi
            COMPREPLY=($(compgen -P "$done_part" -W "epub pdf" -- "$last"))
            return ;;
        --group-by | -g)
            COMPREPLY=($(compgen -W "day week month year topic site" -- "$cur")); return ;;
        --month)
            COMPREPLY=($(compgen -W "last this $(date +%Y-%m 2>/dev/null)" -- "$cur")); return ;;
        --week)
            COMPREPLY=($(compgen -W "last this $(date +%G-W%V 2>/dev/null)" -- "$cur")); return ;;
        --since | --until)
            COMPREPLY=($(compgen -W "today yesterday -7d -30d -1w -2w -1m -3m -1y
                $(date +%Y-%m-%d 2>/dev/null)" -- "$cur")); return ;;
        --paper)
            COMPREPLY=($(compgen -W "a4 a5 letter" -- "$cur")); return ;;
        --columns)
            COMPREPLY=($(compgen -W "1 2" -- "$cur")); return ;;
        --log-format)
            COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
        --lang | -l)
            if [ "$cmd" = typo ]; then
                COMPREPLY=($(compgen -W "fr en" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "fr en de es pt it nl" -- "$cur"))
            fi
            return ;;
        --edition-lang)
            COMPREPLY=($(compgen -W "fr en de es pt" -- "$cur")); return ;;
        --style)
            COMPREPLY=($(compgen -W "$(_kiosque_styles "${words[0]}")" -- "$cur")); return ;;
        --only-new)
            COMPREPLY=($(compgen -W "$(_kiosque_jobs)" -- "$cur")); return ;;
        --css) _kiosque_files "$cur" "css"; return ;;
        --theme) _kiosque_files "$cur" "theme"; return ;;
        --config) _kiosque_files "$cur" "conf|ini"; return ;;
        --cover) _kiosque_files "$cur" "jpg|jpeg|png|gif|svg|webp"; return ;;
        --output | -o) _kiosque_files "$cur"; return ;;
        --hyphen-dir)
            COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
        --max-input | --max-size)
            COMPREPLY=($(compgen -W "1M 16M 45M 100M" -- "$cur")); return ;;
        --max-image-pixels)
            COMPREPLY=($(compgen -W "10M 40M 100M" -- "$cur")); return ;;
        --lock-timeout)
            COMPREPLY=($(compgen -W "0 10 60 300" -- "$cur")); return ;;
        --topic | --site | --author | --title)
            return ;;  # free text
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    case $cmd in
        typo) ;;
        config) ;;
        *) _kiosque_files "$cur" ;;  # archive files and folders
    esac
}
complete -F _kiosque kiosque
