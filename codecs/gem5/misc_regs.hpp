// gem5's x86 misc-register file (`regVal`) as data: the index of every register in the enum order
// gem5 serializes (v24 spec §3.4; the 2011 enum is the same list without Xcr0, 2011 spec §3.5).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace cptx::gem5::misc {

inline constexpr std::array<std::string_view, 205> names = {
    "Cr0", "Cr1", "Cr2", "Cr3", "Cr4", "Cr5", "Cr6", "Cr7", "Cr8", "Cr9", "Cr10", "Cr11", "Cr12", "Cr13", "Cr14",
    "Cr15", "Dr0", "Dr1", "Dr2", "Dr3", "Dr4", "Dr5", "Dr6", "Dr7", "Rflags", "M5Reg", "Tsc", "Mtrrcap",
    "SysenterCs", "SysenterEsp", "SysenterEip", "McgCap", "McgStatus", "McgCtl", "DebugCtlMsr", "LastBranchFromIp",
    "LastBranchToIp", "LastExceptionFromIp", "LastExceptionToIp", "MtrrPhysBase0", "MtrrPhysBase1", "MtrrPhysBase2",
    "MtrrPhysBase3", "MtrrPhysBase4", "MtrrPhysBase5", "MtrrPhysBase6", "MtrrPhysBase7", "MtrrPhysMask0",
    "MtrrPhysMask1", "MtrrPhysMask2", "MtrrPhysMask3", "MtrrPhysMask4", "MtrrPhysMask5", "MtrrPhysMask6",
    "MtrrPhysMask7", "MtrrFix64k00000", "MtrrFix16k80000", "MtrrFix16kA0000", "MtrrFix4kC0000", "MtrrFix4kC8000",
    "MtrrFix4kD0000", "MtrrFix4kD8000", "MtrrFix4kE0000", "MtrrFix4kE8000", "MtrrFix4kF0000", "MtrrFix4kF8000", "Pat",
    "DefType", "Mc0Ctl", "Mc1Ctl", "Mc2Ctl", "Mc3Ctl", "Mc4Ctl", "Mc5Ctl", "Mc6Ctl", "Mc7Ctl", "Mc0Status",
    "Mc1Status", "Mc2Status", "Mc3Status", "Mc4Status", "Mc5Status", "Mc6Status", "Mc7Status", "Mc0Addr", "Mc1Addr",
    "Mc2Addr", "Mc3Addr", "Mc4Addr", "Mc5Addr", "Mc6Addr", "Mc7Addr", "Mc0Misc", "Mc1Misc", "Mc2Misc", "Mc3Misc",
    "Mc4Misc", "Mc5Misc", "Mc6Misc", "Mc7Misc", "Efer", "Star", "Lstar", "Cstar", "SfMask", "KernelGsBase", "TscAux",
    "PerfEvtSel0", "PerfEvtSel1", "PerfEvtSel2", "PerfEvtSel3", "PerfEvtCtr0", "PerfEvtCtr1", "PerfEvtCtr2",
    "PerfEvtCtr3", "Syscfg", "IorrBase0", "IorrBase1", "IorrMask0", "IorrMask1", "TopMem", "TopMem2", "VmCr", "Ignne",
    "SmmCtl", "VmHsavePa", "Es", "Cs", "Ss", "Ds", "Fs", "Gs", "Hs", "Tsl", "Tsg", "Ls", "Ms", "Tr", "Idtr", "EsBase",
    "CsBase", "SsBase", "DsBase", "FsBase", "GsBase", "HsBase", "TslBase", "TsgBase", "LsBase", "MsBase", "TrBase",
    "IdtrBase", "EsEffBase", "CsEffBase", "SsEffBase", "DsEffBase", "FsEffBase", "GsEffBase", "HsEffBase",
    "TslEffBase", "TsgEffBase", "LsEffBase", "MsEffBase", "TrEffBase", "IdtrEffBase", "EsLimit", "CsLimit", "SsLimit",
    "DsLimit", "FsLimit", "GsLimit", "HsLimit", "TslLimit", "TsgLimit", "LsLimit", "MsLimit", "TrLimit", "IdtrLimit",
    "EsAttr", "CsAttr", "SsAttr", "DsAttr", "FsAttr", "GsAttr", "HsAttr", "TslAttr", "TsgAttr", "LsAttr", "MsAttr",
    "TrAttr", "IdtrAttr", "X87Top", "Mxcsr", "Fcw", "Fsw", "Ftw", "Ftag", "Fiseg", "Fioff", "Foseg", "Fooff", "Fop",
    "ApicBase", "PciConfigAddress", "Xcr0",
};

// Number of entries in `regVal`: v24 appends Xcr0 to the 2011 list (tag x86-add-xcr0).
inline constexpr std::size_t count_v24 = 205;
inline constexpr std::size_t count_2011 = 204;

// The index of a register by name; a misspelt name does not compile.
consteval std::size_t index(std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return i;
  throw "no such gem5 misc register";
}

// The five 13-entry segment arrays (v24 spec §3.4: selector 126+i, base 139+i, effective base 152+i,
// limit 165+i, attribute 178+i) in gem5's segment numbering.
enum Seg : std::size_t { es, cs, ss, ds, fs, gs, hs, tsl, tsg, ls, ms, tr, idtr };
inline constexpr std::size_t selector(Seg s) { return index("Es") + s; }
inline constexpr std::size_t base(Seg s) { return index("EsBase") + s; }
inline constexpr std::size_t eff_base(Seg s) { return index("EsEffBase") + s; }
inline constexpr std::size_t limit(Seg s) { return index("EsLimit") + s; }
inline constexpr std::size_t attr(Seg s) { return index("EsAttr") + s; }

}  // namespace cptx::gem5::misc
