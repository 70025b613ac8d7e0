// Hand-written programs, one per dialect, that together use every registered op (custom MLIR syntax;
// tests turn them into generic form with mlir-opt). Shared by the op-spec tests and verifier checks.
import { CMPF_PREDICATES, CMPI_PREDICATES } from '../../ir/ops/arith.ts';
import { FLOAT_BINARY, FLOAT_CLASSIFY, FLOAT_UNARY, INT_UNARY } from '../../ir/ops/math.ts';

const INT_BINARY = ['addi', 'subi', 'muli', 'divsi', 'divui', 'ceildivsi', 'ceildivui', 'floordivsi', 'remsi', 'remui', 'andi', 'ori', 'xori', 'shli', 'shrsi', 'shrui', 'maxsi', 'maxui', 'minsi', 'minui'];
const FLOAT_BINARY_ARITH = ['addf', 'subf', 'mulf', 'divf', 'remf', 'maximumf', 'minimumf', 'maxnumf', 'minnumf'];

/** Custom-syntax programs, one per dialect; together they use every registered op at least once. */
export const PROGRAMS: Record<string, string> = {
  arith: `
func.func @arith(%a: i32, %b: i32, %x: f32, %y: f32, %v: vector<4xi32>, %w: vector<4xf32>, %i: index, %c: i1) {
${INT_BINARY.map((n, k) => `  %i${k} = arith.${n} %a, %b : i32\n  %iv${k} = arith.${n} %v, %v : vector<4xi32>\n  %ix${k} = arith.${n} %i, %i : index`).join('\n')}
${FLOAT_BINARY_ARITH.map((n, k) => `  %f${k} = arith.${n} %x, %y : f32\n  %fv${k} = arith.${n} %w, %w fastmath<nnan,ninf> : vector<4xf32>`).join('\n')}
${CMPI_PREDICATES.map((p, k) => `  %ci${k} = arith.cmpi ${p}, %a, %b : i32`).join('\n')}
${CMPF_PREDICATES.map((p, k) => `  %cf${k} = arith.cmpf ${p}, %x, %y : f32`).join('\n')}
  %cv = arith.cmpi slt, %v, %v : vector<4xi32>
  %o1 = arith.addi %a, %b overflow<nsw, nuw> : i32
  %o2 = arith.shli %a, %b overflow<nuw> : i32
  %e1 = arith.divsi %a, %b exact : i32
  %e2 = arith.shrui %a, %b exact : i32
  %n = arith.negf %x : f32
  %k0 = arith.constant 3 : i32
  %k1 = arith.constant 1.5 : f32
  %k2 = arith.constant dense<[1, 2, 3, 4]> : vector<4xi32>
  %k3 = arith.constant true
  %k4 = arith.constant 7 : index
  %k5 = arith.constant dense<2.0> : vector<4xf32>
  %s:2 = arith.addui_extended %a, %b : i32, i1
  %sv:2 = arith.addui_extended %v, %v : vector<4xi32>, vector<4xi1>
  %m1:2 = arith.mulsi_extended %a, %b : i32
  %m2:2 = arith.mului_extended %v, %v : vector<4xi32>
  %sel = arith.select %c, %a, %b : i32
  %selv = arith.select %cv, %v, %v : vector<4xi1>, vector<4xi32>
  %sels = arith.select %c, %w, %w : vector<4xf32>
  %c1 = arith.extsi %a : i32 to i64
  %c2 = arith.extui %v : vector<4xi32> to vector<4xi64>
  %c3 = arith.trunci %a overflow<nsw> : i32 to i8
  %c4 = arith.extf %x : f32 to f64
  %c5 = arith.truncf %x to_nearest_even : f32 to f16
  %c5b = arith.truncf %x : f32 to bf16
  %c6 = arith.sitofp %a : i32 to f32
  %c7 = arith.uitofp %v : vector<4xi32> to vector<4xf32>
  %c8 = arith.fptosi %x : f32 to i16
  %c9 = arith.fptoui %w : vector<4xf32> to vector<4xi32>
  %c10 = arith.index_cast %a : i32 to index
  %c11 = arith.index_castui %i : index to i64
  %c12 = arith.bitcast %x : f32 to i32
  %c13 = arith.bitcast %v : vector<4xi32> to vector<4xf32>
  return
}`,
  math: `
func.func @math(%x: f32, %y: f32, %a: i32, %v: vector<4xf32>, %iv: vector<4xi32>, %i: index) {
${FLOAT_UNARY.map((n, k) => `  %u${k} = math.${n} %x : f32\n  %uv${k} = math.${n} %v fastmath<fast> : vector<4xf32>`).join('\n')}
${FLOAT_BINARY.map((n, k) => `  %b${k} = math.${n} %x, %y : f32`).join('\n')}
${INT_UNARY.map((n, k) => `  %n${k} = math.${n} %a : i32\n  %nx${k} = math.${n} %i : index`).join('\n')}
${FLOAT_CLASSIFY.map((n, k) => `  %q${k} = math.${n} %x : f32\n  %qv${k} = math.${n} %v : vector<4xf32>`).join('\n')}
  %fma = math.fma %x, %y, %x : f32
  %fpowi = math.fpowi %x, %a : f32, i32
  %fpowiv = math.fpowi %v, %iv : vector<4xf32>, vector<4xi32>
  %ipowi = math.ipowi %a, %a : i32
  %sc:2 = math.sincos %x : f32
  %cl = math.clampf %x to [%y, %y] : f32
  return
}`,
  memref: `
memref.global "private" constant @g : memref<4xi32> = dense<[1, 2, 3, 4]>
memref.global @h : memref<2xf32> = uninitialized
memref.global "private" @k : memref<f32> = dense<1.0> {alignment = 16}
func.func @memref(%m: memref<8x8xf32>, %i: index, %u: memref<*xf32>, %x: f32, %mi: memref<4xi32>, %xi: i32) {
  %a = memref.alloc() : memref<4x4xf32>
  %b = memref.alloca(%i) {alignment = 8} : memref<?x4xf32>
  %c = memref.alloc(%i)[%i] : memref<?x4xf32, affine_map<(d0, d1)[s0] -> (d0 * 4 + d1 + s0)>>
  %v = memref.load %m[%i, %i] : memref<8x8xf32>
  %v2 = memref.load %m[%i, %i] {nontemporal = true, alignment = 4} : memref<8x8xf32>
  memref.store %v, %a[%i, %i] : memref<4x4xf32>
  memref.copy %a, %a : memref<4x4xf32> to memref<4x4xf32>
  %s1 = memref.subview %m[1, 2][4, 3][1, 2] : memref<8x8xf32> to memref<4x3xf32, strided<[8, 2], offset: 10>>
  %s2 = memref.subview %m[%i, 2][4, %i][1, 2] : memref<8x8xf32> to memref<4x?xf32, strided<[8, 2], offset: ?>>
  %s3 = memref.subview %m[1, 2][1, 4][1, 1] : memref<8x8xf32> to memref<4xf32, strided<[1], offset: 10>>
  %s4 = memref.subview %m[0, 0][4, 8][1, 1] : memref<8x8xf32> to memref<4x8xf32>
  %s5 = memref.subview %s2[1, 0][2, 2][1, 1] : memref<4x?xf32, strided<[8, 2], offset: ?>> to memref<2x2xf32, strided<[8, 2], offset: ?>>
  %gg = memref.get_global @g : memref<4xi32>
  %ca = memref.cast %m : memref<8x8xf32> to memref<*xf32>
  %cb = memref.cast %u : memref<*xf32> to memref<8x8xf32>
  %cc = memref.cast %m : memref<8x8xf32> to memref<?x8xf32>
  %cd = memref.cast %s1 : memref<4x3xf32, strided<[8, 2], offset: 10>> to memref<4x3xf32, strided<[?, ?], offset: ?>>
  %d = memref.dim %b, %i : memref<?x4xf32>
  %rk = memref.rank %u : memref<*xf32>
  %r1 = memref.reinterpret_cast %m to offset: [0], sizes: [64], strides: [1] : memref<8x8xf32> to memref<64xf32>
  %r2 = memref.reinterpret_cast %m to offset: [%i], sizes: [%i, 4], strides: [4, 1] : memref<8x8xf32> to memref<?x4xf32, strided<[4, 1], offset: ?>>
  %r3 = memref.reinterpret_cast %u to offset: [2], sizes: [3], strides: [2] : memref<*xf32> to memref<3xf32, strided<[2], offset: 2>>
  %x1 = memref.atomic_rmw addf %x, %m[%i, %i] : (f32, memref<8x8xf32>) -> f32
  %x2 = memref.atomic_rmw maxs %xi, %mi[%i] : (i32, memref<4xi32>) -> i32
  memref.dealloc %a : memref<4x4xf32>
  return
}`,
  scf: `
func.func @scf(%lb: index, %ub: index, %c: i1, %m: memref<8xf32>, %x: f32, %n: i32) -> f32 {
  %r = scf.for %i = %lb to %ub step %lb iter_args(%acc = %x) -> (f32) {
    %s = arith.addf %acc, %x : f32
    scf.yield %s : f32
  }
  scf.for unsigned %j = %n to %n step %n : i32 {
  }
  %t = scf.if %c -> (f32) {
    scf.yield %x : f32
  } else {
    scf.yield %r : f32
  }
  scf.if %c {
    memref.store %x, %m[%lb] : memref<8xf32>
  }
  %w:2 = scf.while (%a = %lb, %b = %x) : (index, f32) -> (index, f32) {
    %cond = arith.cmpi slt, %a, %ub : index
    scf.condition(%cond) %a, %b : index, f32
  } do {
  ^bb0(%a: index, %b: f32):
    scf.yield %a, %b : index, f32
  }
  %p = scf.parallel (%i, %j) = (%lb, %lb) to (%ub, %ub) step (%lb, %lb) init (%x) -> f32 {
    scf.reduce(%x : f32) {
    ^bb0(%l: f32, %rr: f32):
      %q = arith.addf %l, %rr : f32
      scf.reduce.return %q : f32
    }
  }
  scf.parallel (%i) = (%lb) to (%ub) step (%lb) {
  }
  %e = scf.execute_region -> f32 {
    cf.cond_br %c, ^bb1, ^bb2
  ^bb1:
    scf.yield %x : f32
  ^bb2:
    scf.yield %t : f32
  }
  %sw = scf.index_switch %lb -> f32
  case 2 {
    scf.yield %x : f32
  }
  case 5 {
    scf.yield %e : f32
  }
  default {
    scf.yield %x : f32
  }
  return %t : f32
}`,
  affine: `
func.func @affine(%m: memref<8x8xf32>, %n: index, %x: f32) -> f32 {
  %r = affine.for %i = 0 to 8 step 2 iter_args(%acc = %x) -> f32 {
    %v = affine.load %m[%i, %i + 1] : memref<8x8xf32>
    %s = arith.addf %acc, %v : f32
    affine.yield %s : f32
  }
  affine.for %i = max affine_map<(d0)[s0] -> (d0, s0)>(%n)[%n] to min affine_map<(d0) -> (d0 + 8, 16)>(%n) {
    %j = affine.apply affine_map<(d0) -> (d0 floordiv 2)>(%i)
    affine.store %x, %m[%i mod 8, symbol(%n)] : memref<8x8xf32>
    affine.store %x, %m[%j, %j] : memref<8x8xf32>
  }
  %a = affine.apply affine_map<(d0)[s0] -> (d0 * 2 + s0)>(%n)[%n]
  %mi = affine.min affine_map<(d0) -> (d0, 7)>(%n)
  %ma = affine.max affine_map<(d0) -> (d0, 0)>(%n)
  %t = affine.if affine_set<(d0) : (d0 - 1 >= 0, d0 == 3)>(%n) -> f32 {
    affine.yield %x : f32
  } else {
    affine.yield %r : f32
  }
  affine.if affine_set<(d0) : (d0 >= 0)>(%n) {
  }
  affine.parallel (%i, %j) = (0, 0) to (8, 8) step (4, 1) {
    %w = affine.vector_load %m[%i, %j] : memref<8x8xf32>, vector<4xf32>
    affine.vector_store %w, %m[%i, %j] : memref<8x8xf32>, vector<4xf32>
  }
  %pr = affine.parallel (%i) = (0) to (symbol(%n)) reduce ("addf") -> f32 {
    %v = affine.load %m[%i, %i] : memref<8x8xf32>
    affine.yield %v : f32
  }
  return %t : f32
}`,
  vector: `
func.func @vector(%m: memref<8x8xf32>, %i: index, %x: f32, %v: vector<4xf32>, %w: vector<2x4xf32>, %mask: vector<4xi1>, %iv: vector<4xi32>) {
  %b = vector.broadcast %x : f32 to vector<2x4xf32>
  %b2 = vector.broadcast %v : vector<4xf32> to vector<3x4xf32>
  %e = vector.extract %w[1, 2] : f32 from vector<2x4xf32>
  %e2 = vector.extract %w[%i] : vector<4xf32> from vector<2x4xf32>
  %e3 = vector.extract %w[1, %i] : f32 from vector<2x4xf32>
  %in = vector.insert %x, %w[0, 3] : f32 into vector<2x4xf32>
  %in2 = vector.insert %v, %w[%i] : vector<4xf32> into vector<2x4xf32>
  %tr = vector.transfer_read %m[%i, %i], %x {in_bounds = [true]} : memref<8x8xf32>, vector<4xf32>
  %tr2 = vector.transfer_read %m[%i, %i], %x, %mask {permutation_map = affine_map<(d0, d1) -> (d0)>} : memref<8x8xf32>, vector<4xf32>
  %tr3 = vector.transfer_read %m[%i, %i], %x {in_bounds = [true, false], permutation_map = affine_map<(d0, d1) -> (0, d1)>} : memref<8x8xf32>, vector<2x4xf32>
  vector.transfer_write %v, %m[%i, %i] {in_bounds = [false]} : vector<4xf32>, memref<8x8xf32>
  vector.transfer_write %v, %m[%i, %i], %mask : vector<4xf32>, memref<8x8xf32>
  %r = vector.reduction <add>, %v : vector<4xf32> into f32
  %r2 = vector.reduction <maxnumf>, %v, %x fastmath<nnan> : vector<4xf32> into f32
  %r3 = vector.reduction <xor>, %iv : vector<4xi32> into i32
  %f = vector.fma %v, %v, %v : vector<4xf32>
  vector.print %v : vector<4xf32>
  vector.print %x : f32 punctuation <comma>
  vector.print punctuation <newline>
  vector.print str "hello"
  %s = vector.shuffle %v, %v [0, 4, 1, 5] : vector<4xf32>, vector<4xf32>
  %fe = vector.from_elements %x, %x : vector<2xf32>
  %te:4 = vector.to_elements %v : vector<4xf32>
  %l = vector.load %m[%i, %i] : memref<8x8xf32>, vector<4xf32>
  vector.store %l, %m[%i, %i] : memref<8x8xf32>, vector<4xf32>
  %ml = vector.maskedload %m[%i, %i], %mask, %v : memref<8x8xf32>, vector<4xi1>, vector<4xf32> into vector<4xf32>
  vector.maskedstore %m[%i, %i], %mask, %v : memref<8x8xf32>, vector<4xi1>, vector<4xf32>
  %sc = vector.broadcast %x : f32 to vector<f32>
  %e00 = vector.extract %sc[] : f32 from vector<f32>
  %sh = vector.shape_cast %w : vector<2x4xf32> to vector<8xf32>
  %tp = vector.transpose %w, [1, 0] : vector<2x4xf32> to vector<4x2xf32>
  %cm = vector.create_mask %i : vector<4xi1>
  %cm2 = vector.constant_mask [2] : vector<4xi1>
  %st = vector.step : vector<4xindex>
  %bc = vector.bitcast %v : vector<4xf32> to vector<4xi32>
  %mr = vector.multi_reduction <add>, %w, %v [0] : vector<2x4xf32> to vector<4xf32>
  %mr2 = vector.multi_reduction <mul>, %w, %x [0, 1] : vector<2x4xf32> to f32
  %es = vector.extract_strided_slice %w {offsets = [0, 1], sizes = [2, 2], strides = [1, 1]} : vector<2x4xf32> to vector<2x2xf32>
  %is = vector.insert_strided_slice %v, %w {offsets = [1, 0], strides = [1]} : vector<4xf32> into vector<2x4xf32>
  %op = vector.outerproduct %v, %v : vector<4xf32>, vector<4xf32>
  %op2 = vector.outerproduct %v, %x, %v {kind = #vector.kind<maxnumf>} : vector<4xf32>, f32
  %il = vector.interleave %v, %v : vector<4xf32> -> vector<8xf32>
  return
}`,
  'func+cf': `
func.func private @ext(i32) -> i32
func.func @g(%a: i32) -> i32 {
  %r = func.call @ext(%a) : (i32) -> i32
  %c = arith.cmpi eq, %a, %r : i32
  cf.assert %c, "boom"
  cf.cond_br %c, ^bb1(%a : i32), ^bb2
^bb1(%x: i32):
  cf.br ^bb3(%x : i32)
^bb2:
  cf.switch %a : i32, [default: ^bb1(%a : i32), 42: ^bb3(%r : i32), 7: ^bb2]
^bb3(%y: i32):
  return %y : i32
}
func.func @h(%a: i32) -> i32 {
  %r = func.call @g(%a) {no_inline} : (i32) -> i32
  return %r : i32
}
module @inner {
  func.func nested @k() {
    return
  }
}`,
  /** The index dialect, and signed/unsigned integers where MLIR takes them. */
  index: `
func.func @index_ops(%a: index, %b: index, %x: i32, %y: i64) -> (i32, i64) {
${['add', 'sub', 'mul', 'divs', 'divu', 'ceildivs', 'ceildivu', 'floordivs', 'rems', 'remu', 'maxs', 'maxu', 'mins', 'minu', 'shl', 'shrs', 'shru', 'and', 'or', 'xor'].map((n, k) => `  %r${k} = index.${n} %a, %b`).join('\n')}
${CMPI_PREDICATES.map((p, k) => `  %c${k} = index.cmp ${p}(%a, %b)`).join('\n')}
  %k = index.constant -42
  %t = index.bool.constant true
  %s = index.sizeof
  %i0 = index.casts %x : i32 to index
  %i1 = index.castu %y : i64 to index
  %o0 = index.casts %a : index to i32
  %o1 = index.castu %b : index to i64
  return %o0, %o1 : i32, i64
}
func.func @signedness(%m: memref<4xui8>) -> vector<4xsi8> {
  %c0 = arith.constant 0 : index
  %p = memref.load %m[%c0] : memref<4xui8>
  %v = vector.transfer_read %m[%c0], %p : memref<4xui8>, vector<4xui8>
  %s = vector.bitcast %v : vector<4xui8> to vector<4xsi8>
  %e = vector.extract %s[1] : si8 from vector<4xsi8>
  %b = vector.broadcast %e : si8 to vector<4xsi8>
  vector.print %b : vector<4xsi8>
  %k = arith.constant dense<[255, 0, 1, 128]> : vector<4xui8>
  vector.print %k : vector<4xui8>
  return %b : vector<4xsi8>
}`,
  /** Indexed and masked vector memory, and memref.reshape. */
  indexed: `
func.func @indexed(%m: memref<4x8xf32>, %idx: vector<4xi32>, %ix: vector<4xindex>, %mask: vector<4xi1>, %pt: vector<4xf32>, %s: memref<2xindex>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %g = vector.gather %m[%c1, %c0][%idx], %mask, %pt : memref<4x8xf32>, vector<4xi32>, vector<4xi1>, vector<4xf32> into vector<4xf32>
  %g2 = vector.gather %m[%c1, %c0][%ix], %mask, %pt : memref<4x8xf32>, vector<4xindex>, vector<4xi1>, vector<4xf32> into vector<4xf32>
  vector.scatter %m[%c1, %c0][%idx], %mask, %g : memref<4x8xf32>, vector<4xi32>, vector<4xi1>, vector<4xf32>
  vector.compressstore %m[%c1, %c0], %mask, %g2 : memref<4x8xf32>, vector<4xi1>, vector<4xf32>
  %e = vector.expandload %m[%c1, %c0], %mask, %pt : memref<4x8xf32>, vector<4xi1>, vector<4xf32> into vector<4xf32>
  %p = arith.constant 0.0 : f32
  %t = vector.mask %mask { vector.transfer_read %m[%c0, %c0], %p : memref<4x8xf32>, vector<4xf32> } : vector<4xi1> -> vector<4xf32>
  %t2 = vector.mask %mask, %pt { vector.transfer_read %m[%c0, %c0], %p : memref<4x8xf32>, vector<4xf32> } : vector<4xi1> -> vector<4xf32>
  vector.mask %mask { vector.transfer_write %t, %m[%c0, %c0] : vector<4xf32>, memref<4x8xf32> } : vector<4xi1>
  %r = memref.reshape %m(%s) : (memref<4x8xf32>, memref<2xindex>) -> memref<2x16xf32>
  %d = memref.cast %s : memref<2xindex> to memref<?xindex>
  %u = memref.reshape %m(%d) : (memref<4x8xf32>, memref<?xindex>) -> memref<*xf32>
  return
}`,
  /** Corners of the rules: unreachable blocks, affine dims and symbols from many sources, rank-reducing views, 0-d vectors. */
  edge: `
memref.global "private" constant @cst : memref<2x2xf32> = dense<0.5>
func.func @cfg(%a: i32, %c: i1) -> (i32, i32) {
  cf.br ^loop(%a : i32)
^loop(%x: i32):
  %one = arith.constant 1 : i32
  %y = arith.addi %x, %one : i32
  cf.cond_br %c, ^loop(%y : i32), ^exit
^exit:
  return %y, %x : i32, i32
^dead:
  %z = arith.addi %w, %w : i32
  cf.br ^dead2
^dead2:
  %w = arith.addi %a, %a : i32
  cf.br ^dead
}
func.func @calls(%a: i32) -> i32 {
  %t = arith.constant true
  %r:2 = call @cfg(%a, %t) : (i32, i1) -> (i32, i32)
  return %r#1 : i32
}
func.func @affine_scopes(%m: memref<?x8xf32>, %n: index, %k: index) {
  %c0 = arith.constant 0 : index
  %d = memref.dim %m, %c0 : memref<?x8xf32>
  affine.for %i = 0 to %d {
    %c2 = arith.constant 2 : index
    %j = affine.apply affine_map<(d0)[s0] -> (d0 + s0)>(%i)[%c2]
    affine.for %l = affine_map<(d0) -> (d0)>(%i) to min affine_map<(d0)[s0] -> (d0 + 4, s0)>(%j)[%n] {
      %v = affine.load %m[%l, %c0] : memref<?x8xf32>
      affine.store %v, %m[%j, symbol(%k)] : memref<?x8xf32>
    }
    scf.for %s = %c0 to %n step %c2 {
      %q = affine.load %m[%i, %n] : memref<?x8xf32>
      scf.execute_region {
        affine.store %q, %m[%i, %k] : memref<?x8xf32>
        scf.yield
      }
    }
  }
  affine.parallel (%i, %j) = (0, 0) to (symbol(%d), 8) {
    %a = affine.apply affine_map<(d0, d1) -> (d0 + d1)>(%i, %j)
    %v = affine.load %m[%a, %j] : memref<?x8xf32>
    affine.store %v, %m[%i, %j] : memref<?x8xf32>
  }
  %al = memref.alloc(%n) : memref<?xf32>
  %d2 = memref.dim %al, %c0 : memref<?xf32>
  affine.for %i = 0 to %d2 {
    affine.if affine_set<(d0)[s0] : (s0 - d0 - 1 >= 0)>(%i)[%n] {
      %v = affine.load %al[%i] : memref<?xf32>
      affine.store %v, %al[%i] : memref<?xf32>
    }
  }
  memref.dealloc %al : memref<?xf32>
  return
}
func.func @views(%m: memref<4x1x8xf32>, %d: memref<?x?xf32>, %s: memref<?x?xf32, strided<[?, ?], offset: ?>>, %i: index) {
  %a = memref.subview %m[1, 0, 2][1, 1, 4][1, 1, 1] : memref<4x1x8xf32> to memref<4xf32, strided<[1], offset: 10>>
  %b = memref.subview %m[0, 0, 0][4, 1, 1][1, 1, 1] : memref<4x1x8xf32> to memref<4xf32, strided<[8]>>
  %c = memref.subview %d[%i, 1][2, %i][1, 1] : memref<?x?xf32> to memref<2x?xf32, strided<[?, 1], offset: ?>>
  %e = memref.subview %s[1, 1][2, 2][2, 3] : memref<?x?xf32, strided<[?, ?], offset: ?>> to memref<2x2xf32, strided<[?, ?], offset: ?>>
  %f = memref.cast %e : memref<2x2xf32, strided<[?, ?], offset: ?>> to memref<?x2xf32, strided<[?, ?], offset: ?>>
  %g = memref.cast %d : memref<?x?xf32> to memref<3x4xf32>
  %h = memref.subview %g[0, 0][3, 4][1, 1] : memref<3x4xf32> to memref<3x4xf32>
  %gl = memref.get_global @cst : memref<2x2xf32>
  %true = arith.constant true
  %sel = arith.select %true, %g, %h : memref<3x4xf32>
  memref.copy %d, %g : memref<?x?xf32> to memref<3x4xf32>
  return
}
func.func @loops(%n: i32, %x: f64, %lb: index) -> f64 {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%a = %x, %b = %c0) -> (f64, i32) : i32 {
    %y = arith.addf %a, %x : f64
    %z = arith.addi %b, %i : i32
    scf.yield %y, %z : f64, i32
  }
  %w = scf.while (%a = %n) : (i32) -> f64 {
    %cond = arith.cmpi sgt, %a, %c0 : i32
    %f = arith.sitofp %a : i32 to f64
    scf.condition(%cond) %f : f64
  } do {
  ^bb0(%f: f64):
    %a = arith.fptosi %f : f64 to i32
    %a1 = arith.subi %a, %c1 : i32
    scf.yield %a1 : i32
  }
  %p:2 = scf.parallel (%i) = (%lb) to (%lb) step (%lb) init (%x, %c0) -> (f64, i32) {
    scf.reduce(%x, %c1 : f64, i32) {
    ^bb0(%l: f64, %rr: f64):
      %q = arith.maximumf %l, %rr : f64
      scf.reduce.return %q : f64
    }, {
    ^bb0(%l: i32, %rr: i32):
      %q = arith.maxsi %l, %rr : i32
      scf.reduce.return %q : i32
    }
  }
  return %w : f64
}
func.func @types(%a: i1, %b: i64, %h: f16, %bf: bf16, %d: f64, %v: vector<2x3xf32>, %vi: vector<2x3xindex>, %i8: i8) {
  %0 = arith.xori %a, %a : i1
  %1 = arith.muli %b, %b overflow<nsw> : i64
  %2 = arith.addf %h, %h : f16
  %3 = arith.mulf %bf, %bf : bf16
  %4 = arith.extf %bf : bf16 to f64
  %5 = math.sqrt %v : vector<2x3xf32>
  %6 = arith.addi %vi, %vi : vector<2x3xindex>
  %7 = arith.constant dense<[[true, false], [false, true]]> : vector<2x2xi1>
  %8 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : vector<2x3xf32>
  %9 = arith.constant -128 : i8
  %10 = arith.constant 0x7FC00000 : f32
  %11 = arith.trunci %b : i64 to i1
  %12 = math.ctpop %i8 : i8
  %13 = arith.cmpf une, %v, %8 : vector<2x3xf32>
  %14 = arith.select %13, %v, %8 : vector<2x3xi1>, vector<2x3xf32>
  %15 = arith.bitcast %h : f16 to bf16
  %16 = arith.index_cast %vi : vector<2x3xindex> to vector<2x3xi32>
  return
}
func.func @vectors(%m: memref<?x?xf32>, %z: memref<f32>, %i: index, %x: f32, %k: vector<2x3xi1>) {
  %0 = vector.transfer_read %z[], %x : memref<f32>, vector<f32>
  vector.transfer_write %0, %z[] : vector<f32>, memref<f32>
  %1 = vector.transfer_read %m[%i, %i], %x, %k {permutation_map = affine_map<(d0, d1) -> (d1, d0)>} : memref<?x?xf32>, vector<3x2xf32>
  %2 = vector.transfer_read %m[%i, %i], %x {in_bounds = [true, true], permutation_map = affine_map<(d0, d1) -> (0, d0)>} : memref<?x?xf32>, vector<4x3xf32>
  vector.transfer_write %1, %m[%i, %i], %k {permutation_map = affine_map<(d0, d1) -> (d1, d0)>} : vector<3x2xf32>, memref<?x?xf32>
  %3 = vector.broadcast %0 : vector<f32> to vector<2x2xf32>
  %4 = vector.extract %1[2, -1] : f32 from vector<3x2xf32>
  %5 = vector.insert %x, %3[1, 1] : f32 into vector<2x2xf32>
  %6 = vector.shuffle %0, %0 [0, 1] : vector<f32>, vector<f32>
  %7 = vector.reduction <minimumf>, %6 : vector<2xf32> into f32
  %8 = vector.extract %0[] : f32 from vector<f32>
  %9 = vector.from_elements %x, %x, %x, %x, %x, %x : vector<2x3xf32>
  %10 = vector.shuffle %1, %1 [5, 0] : vector<3x2xf32>, vector<3x2xf32>
  %11 = vector.load %m[%i, %i] : memref<?x?xf32>, vector<2x4xf32>
  vector.store %11, %m[%i, %i] : memref<?x?xf32>, vector<2x4xf32>
  return
}
`,
};
