//! C spelling of types, for reports: `__u64`, `struct ckpt_hdr`,
//! `char[16]`, `void *`.

use super::{Ir, Type};

impl Ir {
    /// The type as C would spell it in an abstract declarator. Array
    /// lengths are written as declared only when they are plain numbers;
    /// otherwise `[]` with the expression left out (`[N]` needs a target).
    pub fn type_name(&self, ty: &Type) -> String {
        match ty {
            Type::Void => "void".into(),
            Type::Int(k) => k.c_name().into(),
            Type::Float(k) => k.c_name().into(),
            Type::Complex(k) => format!("_Complex {}", k.c_name()),
            Type::Pointer(inner) if matches!(**inner, Type::Function) => "void (*)()".into(),
            Type::Pointer(inner) => format!("{} *", self.type_name(inner)),
            Type::Array { elem, len } => {
                let n = match len.as_deref() {
                    Some(super::Expr::Int { value, .. }) => value.to_string(),
                    Some(_) => "N".into(),
                    None => String::new(),
                };
                format!("{}[{n}]", self.type_name(elem))
            }
            Type::Function => "void ()".into(),
            Type::Record(id) => {
                let r = self.record(*id);
                if r.tagged {
                    format!("{} {}", r.kind.keyword(), r.name)
                } else {
                    r.name.clone()
                }
            }
            Type::Enum(id) => match &self.enumeration(*id).tag {
                Some(tag) => format!("enum {tag}"),
                None => "enum <anonymous>".into(),
            },
            Type::Typedef(id) => self.typedef(*id).name.clone(),
            Type::Unknown(name) => name.clone(),
            Type::Vector { elem, .. } => {
                format!("{} __attribute__((vector_size))", self.type_name(elem))
            }
            Type::Atomic(inner) => format!("_Atomic({})", self.type_name(inner)),
            Type::VaList => "__builtin_va_list".into(),
        }
    }
}
