//go:build !purego

#include "textflag.h"

// func markBlocks(data []byte, c byte, bm []uint64)
TEXT ·markBlocks(SB), NOSPLIT, $0-56
	MOVQ data_base+0(FP), SI
	MOVQ data_len+8(FP), CX
	MOVBQZX c+24(FP), AX
	MOVQ bm_base+32(FP), DI
	SHRQ $6, CX // whole blocks
	JZ done
	CMPB ·useAVX2(SB), $0
	JNE avx2

	// SSE2: four 16-byte compares per block.
	MOVQ $0x0101010101010101, DX
	IMULQ DX, AX
	MOVQ AX, X0
	PUNPCKLQDQ X0, X0 // c in every byte
sse2:
	MOVOU (SI), X1
	MOVOU 16(SI), X2
	MOVOU 32(SI), X3
	MOVOU 48(SI), X4
	PCMPEQB X0, X1
	PCMPEQB X0, X2
	PCMPEQB X0, X3
	PCMPEQB X0, X4
	PMOVMSKB X1, AX
	PMOVMSKB X2, BX
	PMOVMSKB X3, DX
	PMOVMSKB X4, R8
	SHLQ $16, BX
	SHLQ $32, DX
	SHLQ $48, R8
	ORQ BX, AX
	ORQ R8, DX
	ORQ DX, AX
	MOVQ AX, (DI)
	ADDQ $64, SI
	ADDQ $8, DI
	DECQ CX
	JNZ sse2
done:
	RET

	// AVX2: two 32-byte compares per block.
avx2:
	MOVQ AX, X0
	VPBROADCASTB X0, Y0
avx2loop:
	VPCMPEQB (SI), Y0, Y1
	VPCMPEQB 32(SI), Y0, Y2
	VPMOVMSKB Y1, AX
	VPMOVMSKB Y2, BX
	SHLQ $32, BX
	ORQ BX, AX
	MOVQ AX, (DI)
	ADDQ $64, SI
	ADDQ $8, DI
	DECQ CX
	JNZ avx2loop
	VZEROUPPER
	RET

// func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv0() uint32
TEXT ·xgetbv0(SB), NOSPLIT, $0-4
	MOVL $0, CX
	XGETBV
	MOVL AX, ret+0(FP)
	RET
