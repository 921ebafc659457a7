#!/usr/bin/env python3
"""The path kernel's x86 instructions a path, sorted by what a GPU thread would make of them.

Runs the engine under callgrind twice (N and 2N paths, one thread, counting only inside the CPU
backend's parallel region, which is the path kernel), takes each instruction's count from the
difference, and sorts the engine's own instructions by their operands (objdump):
  - moves between a register and a fixed stack slot, disp(%rsp): the register spills and reloads
    of a CPU with 16 vector registers, and scalars GCC keeps in memory. ptxas gives the GPU build
    160 registers and no spills (scripts/ptx-local-memory.sh), so most of these a GPU does not
    execute; constant-index reads of arrays in the frame are among them, and those it does;
  - other instructions with a fixed stack slot operand (an add from memory);
  - the rest.
Instructions in libm and libc (exp, log, erf, memcpy) are counted apart. The roofline
(docs/PERFORMANCE.md) takes the count less the moves as the kernel's instructions with a GPU's
registers.

Usage: tools/gpu-estimate/instruction_mix.py BUILDOUT [CONFIG] [--paths N]   (default configs/base.toml, 2000)
Needs valgrind and binutils' objdump.
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile

REGION = "*CpuBackend::run*_omp_fn*"  # the path kernel's OpenMP region (host/engine/cpu_backend.cpp)
MOVES = {"mov", "movq", "movl", "movd", "movsd", "movss", "movapd", "movaps", "movupd", "movups", "movdqa", "movdqu"}
STACK_SLOT = re.compile(r"^-?(0x[0-9a-f]+)?\(%rsp\)$")
OPERANDS = re.compile(r",(?![^(]*\))")  # commas outside parentheses


def fail(message, code=2):
    print(f"instruction_mix: {message}", file=sys.stderr)
    sys.exit(code)


def callgrind(engine, config, paths, out):
    """Each instruction's count, by (object, address), from one run of `paths` paths."""
    with tempfile.TemporaryDirectory() as reports:
        run = subprocess.run(["valgrind", "--tool=callgrind", "--dump-instr=yes", f"--toggle-collect={REGION}",
                              f"--callgrind-out-file={out}", engine, "run", config, "--paths", str(paths), "--threads", "1",
                              "--device", "cpu", "--progress", "none", "--out", reports],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        fail(f"callgrind of {engine} failed (exit {run.returncode}):\n{run.stderr[-2000:]}", 1)
    return parse_callgrind(out)


def parse_callgrind(path):
    """Self counts by (object, address) from a callgrind file written with --dump-instr=yes: the
    costs after a calls= line are the call's, not the instruction's own, and are skipped. A cost
    line holds one field per position the header names (instr, and line with debug info), then
    the Ir count, absent where it is 0."""
    counts = collections.Counter()
    names, obj = {}, None
    positions, address = 1, 0
    call_cost = False

    with open(path) as f:
        for raw in f:
            text = raw.rstrip("\n")
            if not text:
                continue
            if text.startswith("positions:"):
                positions = len(text.split()) - 1
                continue
            named = re.match(r"^(c?ob)=\((\d+)\)(?: (.*))?$", text)
            if named:
                kind, key, name = named.groups()
                if name:
                    names[key] = name
                if kind == "ob":
                    obj = names[key]
                continue
            if text.startswith("calls="):
                call_cost = True
                continue
            if text[0] not in "0123456789+-*":
                continue
            fields = text.split()
            token = fields[0]  # the instruction's address: absolute, relative to the last, or the same
            address = address if token == "*" else address + int(token, 0) if token[0] in "+-" else int(token, 0)
            if call_cost:
                call_cost = False
                continue
            counts[(obj, address)] += int(fields[positions]) if len(fields) > positions else 0
    return counts


def disassemble(engine):
    """Each instruction of the executable by address: (mnemonic, operands)."""
    text = subprocess.run(["objdump", "-d", "--no-show-raw-insn", "-w", engine], capture_output=True, text=True, check=True).stdout
    instructions = {}
    for line in text.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$", line)
        if m:
            instructions[int(m.group(1), 16)] = (m.group(2), m.group(3))
    return instructions


def kind_of(mnemonic, operands):
    parts = OPERANDS.split(operands) if operands else []
    on_slot = any(STACK_SLOT.match(p) for p in parts)
    if on_slot and mnemonic in MOVES and len(parts) == 2 and any(p.startswith("%") for p in parts):
        return "moves between a register and a fixed stack slot"
    if on_slot:
        return "other instructions on a fixed stack slot"
    return "the rest"


def main():
    parser = argparse.ArgumentParser(prog="instruction_mix.py", description=__doc__.splitlines()[0])
    parser.add_argument("engine")
    parser.add_argument("config", nargs="?", default="configs/base.toml")
    parser.add_argument("--paths", type=int, default=2000)
    args = parser.parse_args()
    if args.paths <= 0:
        fail(f"--paths: expected a positive integer, got {args.paths}")
    if not os.access(args.engine, os.X_OK):
        fail(f"{args.engine}: not an executable (build it with scripts/build.sh)")
    if not os.path.isfile(args.config):
        fail(f"{args.config}: no such config")
    engine = os.path.realpath(args.engine)
    with tempfile.TemporaryDirectory() as work:
        once = callgrind(engine, args.config, args.paths, os.path.join(work, "once.out"))
        twice = callgrind(engine, args.config, 2 * args.paths, os.path.join(work, "twice.out"))
    per_path = collections.Counter()
    for key in set(once) | set(twice):
        per_path[key] = (twice.get(key, 0) - once.get(key, 0)) / args.paths
    instructions = disassemble(engine)
    own, other = collections.Counter(), collections.Counter()
    unknown = 0
    for (obj, address), n in per_path.items():
        if obj and os.path.realpath(obj) == engine:
            if address in instructions:
                own[kind_of(*instructions[address])] += n
            else:
                unknown += 1
        else:
            other[os.path.basename(obj or "?")] += n
    total = sum(own.values()) + sum(other.values())
    if sum(own.values()) <= 0:
        fail("callgrind counted nothing in the path kernel's region", 1)
    if unknown:
        fail(f"{unknown} of the addresses callgrind counted are not instructions in objdump's disassembly of {engine}", 1)
    print(f"config {args.config}, {args.paths} and {2 * args.paths} paths, one thread: x86 instructions a path in the path kernel")
    print(f"  all                                                {total:10.0f}")
    for name, n in sorted(other.items(), key=lambda x: -x[1]):
        if n >= 1:
            print(f"  in {name:47s} {n:10.0f}")
    print(f"  in the engine's own code                           {sum(own.values()):10.0f}  (shares: of all)")
    for kind in ("moves between a register and a fixed stack slot", "other instructions on a fixed stack slot", "the rest"):
        print(f"    {kind:48s} {own[kind]:10.0f}  {100 * own[kind] / total:5.1f}%")
    moves = own["moves between a register and a fixed stack slot"]
    print(f"  all less the moves                                 {total - moves:10.0f}")


if __name__ == "__main__":
    main()
