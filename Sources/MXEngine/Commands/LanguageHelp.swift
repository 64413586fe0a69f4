/// `help for`, `help where`, `help def`, ...: the statements and clauses that are not
/// commands, explained where a user looks for them.
let languageTopics: [String: String] = [
    "for": """
    for NAME in COLLECTION [where PREDICATE] < STATEMENTS >

    Runs the block once for each item, with NAME bound to it. COLLECTION is a list,
    a vendor collection (domains, cm.users, users of d) or csv("file.csv").
    NAME is visible in the where clause too: for x in ["a.net", "b.org"] where x ~ "*.net"
    Inside the block, 'break' leaves the loop and 'continue' goes on with the next item.

    Examples:
      for d in domains where status=ENABLED < add-alias d "x.net" >
      for r in csv("moves.csv") where r.status = "ENABLED" < create-domain r.name >
      for n in [1, 2, 3] < if n = 2 < break >; print n >

    """,
    "where": """
    COLLECTION where PREDICATE

    Keeps the items for which PREDICATE is true: in 'for', 'list', 'export', 'copy'
    and in any expression (let enabled = domains where status=ENABLED).
    A bare name in PREDICATE is the item's field (status, name, aliases) or a
    record's key; in a 'for' loop the loop variable names the item (d.status).
    A bare name that is both a field and a variable is an error: write d.name for
    the field, or give the variable another name. Text and numbers have no fields:
    name the item in a loop, for x in ["a.net", "b.org"] where x ~ "*.net".
    '<' opens a block, so ordering comparisons go inside parentheses:
      for d in domains where (count(d.aliases) > 1) < print d.name >
    A CSV header with spaces is reached by indexing: where r["first name"] = "Ann"

    """,
    "def": """
    def NAME PARAM... < STATEMENTS >

    Defines a command of your own. Call it like a command, NAME arg1 arg2, or, for
    the value it gives back with 'return EXPR', like a function: let y = NAME(arg1, arg2).
    Defs may call each other and themselves (at most 200 calls deep; blocks
    nested deep inside deep calls may stop sooner, with an error at the line, before
    the stack runs out). An error inside a def also names the call that led there.
    A def is written at the top level of a script, not inside an if, a for or another
    def, and sees its parameters and the top-level variables. Defs may call each other
    in any order, but a def must be defined (its line passed) before a call at the top
    level reaches it. In the shell likewise: a def may call one entered after it, and
    a call of it is refused until then. A def's name calls it and nothing else: not a
    command's, a function's, 'domain' or 'user', or a variable's. A def may use
    'domains' before the script's connect line; it is judged where it is called.

    Examples:
      def retire name < disable (domain name) >
      retire "old.com"
      def double n < return (n * 2) >
      let q = double(3)

    """,
    "if": """
    if CONDITION < STATEMENTS > [else < STATEMENTS >] [else if ...]

    'else' goes on the line of the '>' that closes the first block.

    """,
    "let": """
    let NAME = EXPRESSION

    Defines a variable in the current block; NAME = EXPRESSION changes it later.

    """,
    "break": "break\n\nLeaves the innermost for loop.\n",
    "continue": "continue\n\nGoes on with the next item of the innermost for loop.\n",
    "return": "return [EXPRESSION]\n\nEnds a def, giving back EXPRESSION's value (none without one).\n"
]
