/* Entry from gem5's x86 Linux loader (X86FsLinux), and the interrupt stubs of the 64-bit build.

   gem5 starts the first processor at the ELF entry already in 64-bit long mode: its own GDT (selector
   0x08 a 64-bit code segment, 0x10 data), paging on with the first 4 GiB identity-mapped, interrupts
   off, and RSI pointing at a Linux "zero page" (boot_params) whose cmd_line_ptr, at offset 0x228
   (Linux boot protocol), holds the address of the kernel command line.

   The guest stays in long mode: gem5 implements interrupt delivery only in real and long mode (a
   32-bit protected-mode interrupt stops it with "Legacy mode interrupts not implemented"), so this
   build compiles the same C code for x86-64. */

.code64
.text
.globl gem5_entry
gem5_entry:
    cli
    mov $stack_top, %rsp
    /* A GDT of the guest's own, with the slots gem5's has, so CS and its cached descriptor stay valid
       without a far jump. */
    lgdt gdt_descriptor
    mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov %eax, %fs
    mov %eax, %gs
    /* The guest reads its options from a multiboot information block (flag bit 2: cmdline). */
    mov 0x228(%rsi), %eax
    mov %eax, multiboot_cmdline
    mov $multiboot_info, %edi
    call guest_main
1:  cli
    hlt
    jmp 1b

/* Every vector's stub (stubs.inc) pushes its number and joins the common path, which calls
   interrupt_entry(vector) with the registers the C code may clobber saved. Exceptions that push an
   error code are reported and halt anyway, so the stack layout after the vector does not matter to them. */
common_stub:
    push %rax
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %r8
    push %r9
    push %r10
    push %r11
    push %rbp
    mov %rsp, %rbp
    and $-16, %rsp             /* the ABI's call alignment */
    cld
    mov 80(%rbp), %edi         /* the vector pushed by the stub */
    call interrupt_entry
    mov %rbp, %rsp
    pop %rbp
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rax
    add $8, %rsp
    iretq

#define ADDRESS .quad
#include "stubs.inc"

.align 8
gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF   /* 0x08: 64-bit code */
    .quad 0x00CF92000000FFFF   /* 0x10: flat data */
gdt_descriptor:
    .word gdt_descriptor - gdt - 1
    .quad gdt

.data
.align 4
multiboot_info:
    .long 0x4                  /* flags: cmdline is valid */
    .long 0, 0, 0              /* mem_lower, mem_upper, boot_device: not given */
multiboot_cmdline:
    .long 0

.section .note.GNU-stack, "", @progbits

.bss
.align 16
.space 32768
stack_top:
